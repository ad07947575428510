import { beforeAll, describe, expect, it } from 'vitest';
import { exportRunTasks, exportRuns } from '../../src/actions/export-runs.ts';
import type { LookupContext } from '../../src/actions/lookup-context.ts';
import { runLookup } from '../../src/actions/run-lookup.ts';
import { createJsonLogger } from '../../src/logger.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';
import { BrokenPathspecReader } from './broken-pathspec-reader.ts';
import { exportSchemaErrors, exportTime, fixtureReader, staleAfterMs } from './export-support.ts';
import { readCsv } from './read-csv.ts';

let reader: MetaflowReader;
let logLines: string[];

beforeAll(() => {
  reader = fixtureReader();
});

function contextFor(source: MetaflowReader, sourceLabel: string | null = null): LookupContext {
  logLines = [];
  return {
    reader: source,
    now: () => exportTime,
    staleAfterMs,
    logger: createJsonLogger('debug', (line) => logLines.push(line)),
    sourceLabel,
    botVersion: '9.8.7-test',
    profiles: null,
    profile: null,
    audience: null,
  };
}

describe('exportRuns', () => {
  it('attaches every run as CSV', async () => {
    const result = await exportRuns(contextFor(reader), 'csv', { kind: 'runs', flow: 'HelloFlow', user: null, tags: [] });
    expect(result.reply.text).toBe('Exported 40 runs of `HelloFlow` as CSV, newest first.');
    expect(result.reply.file?.filename).toBe('HelloFlow-runs-20270104T120000Z.csv');
    expect(result.reply.file?.filetype).toBe('csv');
    expect(readCsv(result.reply.file?.content ?? '').length).toBe(41);
  });

  it('applies user and tag filters', async () => {
    const result = await exportRuns(contextFor(reader), 'json', { kind: 'runs', flow: 'HelloFlow', user: 'alice', tags: ['prod'] });
    const document = JSON.parse(result.reply.file?.content ?? '{}') as { header: { request: unknown }; rows: { user: string }[] };
    expect(document.rows.map((row) => row.user)).toEqual(['alice', 'alice', 'alice']);
    expect(document.header.request).toEqual({ runspec: "alice's HelloFlow tagged prod", user: 'alice', tags: ['prod'], limit: null });
    expect(exportSchemaErrors(document)).toEqual([]);
  });

  it('names the filters in the summary', async () => {
    const result = await exportRuns(contextFor(reader), 'json', { kind: 'runs', flow: 'HelloFlow', user: 'alice', tags: ['prod'] });
    expect(result.reply.text).toBe("Exported 3 runs of `alice's HelloFlow tagged prod` as JSON, newest first.");
  });

  it('finds a flow ignoring case', async () => {
    const result = await exportRuns(contextFor(reader), 'csv', { kind: 'runs', flow: 'branchflow', user: null, tags: [] });
    expect(result.reply.file?.filename).toMatch(/^BranchFlow-runs-/);
  });

  it('exports the latest successful run', async () => {
    const result = await exportRuns(contextFor(reader), 'json', { kind: 'latest', flow: 'HelloFlow', user: null, tags: [], successful: true });
    const document = JSON.parse(result.reply.file?.content ?? '{}') as { rows: { id: string }[] };
    expect(document.rows.map((row) => row.id)).toEqual(['1796413130413220']);
  });

  it('names the source', async () => {
    const result = await exportRuns(contextFor(reader, 'profile finance'), 'csv', { kind: 'runs', flow: 'BranchFlow', user: null, tags: [] });
    expect(result.reply.text).toBe('Exported 1 run of `BranchFlow` (profile finance) as CSV, newest first.');
  });

  it('rejects an unknown flow', async () => {
    const result = await exportRuns(contextFor(reader), 'csv', { kind: 'runs', flow: 'HeloFlow', user: null, tags: [] });
    expect(result.event).toEqual({ type: 'lookup.noMatch' });
    expect(result.reply.file).toBeUndefined();
  });

  it('sends no file without runs', async () => {
    const result = await exportRuns(contextFor(reader), 'csv', { kind: 'runs', flow: 'HelloFlow', user: null, tags: ['no-such-tag'] });
    expect(result.reply.text).toBe('No run matches `HelloFlow tagged no-such-tag`, so there is nothing to export.');
    expect(result.reply.file).toBeUndefined();
  });

  it('reports a missing run', async () => {
    const result = await runLookup(
      { kind: 'exportRuns', format: 'csv', runspec: { kind: 'pathspec', flow: 'HelloFlow', runId: '1' } },
      contextFor(reader),
    );
    expect(result.reply.text).toContain('HelloFlow/1 was not found');
    expect(result.reply.file).toBeUndefined();
  });

  it('reports a schema failure', async () => {
    const result = await exportRuns(contextFor(new BrokenPathspecReader(reader)), 'json', { kind: 'runs', flow: 'BranchFlow', user: null, tags: [] });
    expect(result.reply.text).toContain('failed a check against its schema, so no file was sent');
    expect(result.reply.file).toBeUndefined();
    expect(logLines.some((line) => line.includes('"level":"error"') && line.includes('export failed its schema check'))).toBe(true);
  });
});

describe('exportRunTasks', () => {
  const run = { flow: 'ForeachFlow', runId: '1796413132892874', finished: true };

  it('attaches the tasks as CSV', async () => {
    const result = await exportRunTasks(contextFor(reader), 'csv', run);
    expect(result.reply.text).toBe('Exported 28 tasks of `ForeachFlow/1796413132892874` as CSV, grouped by step.');
    expect(result.reply.file?.filename).toBe('ForeachFlow-1796413132892874-tasks-20270104T120000Z.csv');
  });

  it('attaches the tasks as JSON', async () => {
    const result = await exportRunTasks(contextFor(reader), 'json', run);
    const document: unknown = JSON.parse(result.reply.file?.content ?? '{}');
    expect(exportSchemaErrors(document)).toEqual([]);
  });
});
