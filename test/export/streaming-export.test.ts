import { describe, expect, it } from 'vitest';
import { ExportError } from '../../src/export/export-error.ts';
import type { RunsQuery } from '../../src/export/runs-query.ts';
import { planRunsExport } from '../../src/export/runs-table.ts';
import { writeExport } from '../../src/export/write-export.ts';
import type { ParameterInfo } from '../../src/metaflow/reader.ts';
import { environmentFor, exportText } from './export-support.ts';
import { readCsv } from './read-csv.ts';
import { SyntheticReader, syntheticFlow } from './synthetic-reader.ts';

/** Runs that may be read ahead of the rows written: twice the export's batch of 8, for slack. */
const maxRunsAhead = 16;

const allRuns: RunsQuery = { runspec: { kind: 'runs', flow: syntheticFlow, user: null, tags: [] }, limit: null };

/** A synthetic flow whose runs gain a parameter after the first pass, as if their records changed. */
class ChangingReader extends SyntheticReader {
  override async getParameters(flow: string, runId: string): Promise<ParameterInfo[]> {
    const parameters = await super.getParameters(flow, runId);
    return this.passes > 1 ? [...parameters, { name: 'late', repr: 'True', type: 'bool', json: true }] : parameters;
  }
}

describe.each(['csv', 'json'] as const)('%s export of 3,000 runs', (format) => {
  it('reads runs only as rows are written', async () => {
    const reader = new SyntheticReader(3_000);
    const table = await planRunsExport(environmentFor(reader), allRuns);
    let rowsWritten = 0;
    let maxAhead = 0;
    for await (const chunk of writeExport(table, format, { bom: false })) {
      const isRow = format === 'csv' ? chunk.includes(`${syntheticFlow}/`) : chunk.includes('"pathspec"');
      rowsWritten += isRow ? 1 : 0;
      // Only the rows pass counts: the CSV's first pass reads parameters, never rows.
      if (reader.passes === (format === 'csv' ? 2 : 1)) {
        maxAhead = Math.max(maxAhead, reader.yieldedInPass - rowsWritten);
      }
    }
    expect(rowsWritten).toBe(3_000);
    expect(maxAhead).toBeLessThanOrEqual(maxRunsAhead);
  });
});

describe('runs export limit', () => {
  it('stops at the limit', async () => {
    const reader = new SyntheticReader(50);
    const table = await planRunsExport(environmentFor(reader), { ...allRuns, limit: 7 });
    const { count } = await exportText(table, 'csv');
    expect(count).toBe(7);
  });

  it('keeps newest first', async () => {
    const reader = new SyntheticReader(50);
    const table = await planRunsExport(environmentFor(reader), { ...allRuns, limit: 3 });
    const [, ...records] = readCsv((await exportText(table, 'csv')).text);
    expect(records.map((record) => record[0])).toEqual(['50', '49', '48']);
  });
});

describe('CSV export passes', () => {
  it('skips a run started between passes', async () => {
    const reader = new SyntheticReader(20);
    const table = await planRunsExport(environmentFor(reader), allRuns);
    await table.csvLayout();
    reader.startRun();
    const ids: string[] = [];
    for await (const row of table.rows()) {
      ids.push(row.id);
    }
    expect(ids).toEqual(Array.from({ length: 20 }, (_, index) => String(20 - index)));
  });

  it('keeps the limit with a new run', async () => {
    const reader = new SyntheticReader(20);
    const table = await planRunsExport(environmentFor(reader), { ...allRuns, limit: 5 });
    await table.csvLayout();
    reader.startRun();
    const ids: string[] = [];
    for await (const row of table.rows()) {
      ids.push(row.id);
    }
    expect(ids).toEqual(['20', '19', '18', '17', '16']);
  });

  it('rejects a parameter missing from the columns', async () => {
    const table = await planRunsExport(environmentFor(new ChangingReader(5)), allRuns);
    const failure = await exportText(table, 'csv').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExportError);
    expect((failure as ExportError).code).toBe('flow_changed');
  });
});
