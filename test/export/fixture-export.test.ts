import { beforeAll, describe, expect, it } from 'vitest';
import { progressFromStatus } from '../../src/export/run-progress.ts';
import { planRunsExport } from '../../src/export/runs-table.ts';
import { planTasksExport } from '../../src/export/tasks-table.ts';
import type { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { expectCsvMatchesJson } from './csv-matches-json.ts';
import {
  environmentFor,
  exportSchemaErrors,
  exportText,
  exportTime,
  fixtureReader,
  readOracleRuns,
  staleAfterMs,
  type OracleRun,
} from './export-support.ts';

interface ExportDocument {
  kind: string;
  header: Record<string, unknown>;
  rows: Record<string, unknown>[];
  rowCount: number;
}

const oracle = readOracleRuns();
const flows = [...oracle.keys()];
const fixedRunColumns = [
  'id', 'pathspec', 'user', 'userTags', 'systemTags', 'createdAt', 'finishedAt', 'durationSeconds',
  'status', 'lastActivityAt', 'finished', 'successful',
];

let reader: LocalDatastoreReader;

beforeAll(() => {
  reader = fixtureReader();
});

async function exportRunsOf(flow: string, format: 'csv' | 'json'): Promise<string> {
  const table = await planRunsExport(environmentFor(reader), { runspec: { kind: 'runs', flow, user: null, tags: [] }, limit: null });
  return (await exportText(table, format)).text;
}

async function exportTasksOf(flow: string, runId: string, format: 'csv' | 'json'): Promise<string> {
  const table = await planTasksExport(environmentFor(reader), { flow, runId });
  return (await exportText(table, format)).text;
}

describe.each(flows)('runs export of %s', (flow) => {
  const expectedRuns = oracle.get(flow) ?? [];
  let document: ExportDocument;
  let csv: string;

  beforeAll(async () => {
    document = JSON.parse(await exportRunsOf(flow, 'json')) as ExportDocument;
    csv = await exportRunsOf(flow, 'csv');
  });

  it('matches the schema', () => {
    expect(exportSchemaErrors(document)).toEqual([]);
  });

  it('lists runs in client order', () => {
    expect(document.rows.map((row) => row['id'])).toEqual(expectedRuns.map((run) => run.id));
  });

  it('counts its rows', () => {
    expect(document.rowCount).toBe(expectedRuns.length);
  });

  it('matches the client per run', () => {
    document.rows.forEach((row, index) => expectRunMatchesOracle(row, expectedRuns[index] as OracleRun));
  });

  it('matches the reader status per run', async () => {
    for (const row of document.rows) {
      const status = await reader.getRunStatus(flow, row['id'] as string, { now: exportTime, staleAfterMs });
      const expected = { succeeded: 'succeeded', failed: 'failed', running: 'running', stale: 'no activity' }[status.state];
      expect(row['status'], row['id'] as string).toBe(expected);
      expect(row['durationSeconds'], row['id'] as string).toBe(progressFromStatus(status).durationMs / 1_000);
    }
  });

  it('writes the CSV like the JSON', () => {
    expectCsvMatchesJson(csv, document.rows, flow);
  });

  it('names a column per parameter', () => {
    const header = csv.split('\r\n')[0]?.split(',') ?? [];
    const names = new Set(expectedRuns.flatMap((run) => run.parameters.names));
    expect(header).toEqual([...fixedRunColumns, ...[...names].map((name) => `param.${name}`)]);
  });
});

function expectRunMatchesOracle(row: Record<string, unknown>, run: OracleRun): void {
  const where = `run ${run.id}`;
  expect(row['user'], where).toBe(run.user);
  expect(row['userTags'], where).toEqual(run.user_tags);
  expect(row['systemTags'], where).toEqual(run.system_tags);
  expect(row['createdAt'], where).toBe(new Date(run.created_at_epoch_ms).toISOString());
  expect(row['finishedAt'], where).toBe(run.finished_at_epoch_ms === null ? null : new Date(run.finished_at_epoch_ms).toISOString());
  expect(row['finished'], where).toBe(run.finished);
  expect(row['successful'], where).toBe(run.successful);
  expect(Object.keys(row['parameters'] as object).sort(), where).toEqual([...run.parameters.names].sort());
}

describe.each(flows)('tasks export of %s', (flow) => {
  const runIds = (oracle.get(flow) ?? []).map((run) => run.id);

  it('matches the schema for every run', async () => {
    for (const runId of runIds) {
      const document = JSON.parse(await exportTasksOf(flow, runId, 'json')) as ExportDocument;
      expect(exportSchemaErrors(document), runId).toEqual([]);
    }
  });

  it('writes the CSV like the JSON', async () => {
    for (const runId of runIds) {
      const document = JSON.parse(await exportTasksOf(flow, runId, 'json')) as ExportDocument;
      expectCsvMatchesJson(await exportTasksOf(flow, runId, 'csv'), document.rows, `${flow}/${runId}`);
    }
  });
});

describe('export status', () => {
  async function runStatus(flow: string, runId: string): Promise<unknown> {
    const document = JSON.parse(await exportRunsOf(flow, 'json')) as ExportDocument;
    return document.rows.find((row) => row['id'] === runId)?.['status'];
  }

  async function taskRows(flow: string, runId: string): Promise<Record<string, unknown>[]> {
    return (JSON.parse(await exportTasksOf(flow, runId, 'json')) as ExportDocument).rows;
  }

  it('shows a killed run as no activity', async () => {
    expect(await runStatus('SleepyFlow', '1796413172895082')).toBe('no activity');
  });

  it('shows a failed foreach as failed', async () => {
    expect(await runStatus('FailFlow', '1796413159306796')).toBe('failed');
  });

  it('shows a caught end failure as failed', async () => {
    expect(await runStatus('CatchFlow', '1796413162761232')).toBe('failed');
  });

  it('shows a caught step failure as succeeded', async () => {
    expect(await runStatus('CatchFlow', '1796413161197525')).toBe('succeeded');
  });

  it('marks the failed foreach task', async () => {
    const rows = await taskRows('FailFlow', '1796413159306796');
    const failed = rows.filter((row) => row['status'] === 'failed').map((row) => row['foreachIndex']);
    expect(failed).toEqual([2]);
  });

  it('marks the killed task as no activity', async () => {
    const rows = await taskRows('SleepyFlow', '1796413172895082');
    expect(rows.find((row) => row['step'] === 'nap')?.['status']).toBe('no activity');
  });

  it('numbers foreach tasks', async () => {
    const rows = await taskRows('ForeachFlow', '1796413132892874');
    const indexes = rows.filter((row) => row['step'] === 'shard').map((row) => row['foreachIndex'] as number);
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, index) => index));
  });

  it('lists the run pathspec in the header', async () => {
    const document = JSON.parse(await exportTasksOf('BranchFlow', '1796413156064367', 'json')) as ExportDocument;
    expect(document.header['run']).toBe('BranchFlow/1796413156064367');
  });
});
