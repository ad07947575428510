import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { silentLogger } from '../../src/logger.ts';
import type { ExportFormat } from '../../src/machines/thread-events.ts';
import { drainChunks } from '../../src/export/drain-chunks.ts';
import type { ExportEnvironment, ExportTable } from '../../src/export/export-table.ts';
import { writeExport } from '../../src/export/write-export.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';
import type { OracleRun } from '../metaflow/oracle.ts';
import { metaflowLocalRoot, oraclePath } from '../support/fixture-paths.ts';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fixed export time, a month after the fixture runs, so the killed SleepyFlow run is `no activity`. */
export const exportTime = Date.parse('2027-01-04T12:00:00.000Z');

/** The bot's stale limit in the tests: one hour, in milliseconds. */
export const staleAfterMs = 3_600_000;

/** Returns a reader of the fixture datastore. */
export function fixtureReader(): LocalDatastoreReader {
  return new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger });
}

/** Returns an export environment at `exportTime` over `reader`. */
export function environmentFor(reader: MetaflowReader): ExportEnvironment {
  return { reader, now: exportTime, staleAfterMs, botVersion: '9.8.7-test', sourceLabel: null };
}

/** Writes a whole export into a string. */
export async function exportText<Row extends { pathspec: string }>(
  table: ExportTable<Row>,
  format: ExportFormat,
  bom = false,
): Promise<{ text: string; count: number }> {
  let text = '';
  const count = await drainChunks(writeExport(table, format, { bom }), (chunk) => {
    text += chunk;
  });
  return { text, count };
}

// ajv-formats is CommonJS, so TypeScript types its default import as the module namespace.
const addFormats = addFormatsModule.default;
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const exportSchema: unknown = JSON.parse(readFileSync(path.join(repositoryRoot, 'docs/schema/export.schema.json'), 'utf8'));
const validateExport = ajv.compile(exportSchema as object);

/** Returns the schema errors of a parsed export document, empty when it is valid. */
export function exportSchemaErrors(document: unknown): string[] {
  if (validateExport(document)) {
    return [];
  }
  return (validateExport.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

/** Returns the oracle's runs of every flow, in the client's order (newest first). */
export function readOracleRuns(): Map<string, OracleRun[]> {
  const oracle = JSON.parse(readFileSync(oraclePath, 'utf8')) as {
    flows: Record<string, { run_ids_client_order: string[]; runs: Record<string, OracleRun> }>;
  };
  const flows = new Map<string, OracleRun[]>();
  for (const [name, flow] of Object.entries(oracle.flows)) {
    flows.set(name, flow.run_ids_client_order.map((id) => flow.runs[id] as OracleRun));
  }
  return flows;
}

export type { OracleRun };
