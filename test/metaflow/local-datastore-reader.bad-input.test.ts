/**
 * The reader rejects names that break Metaflow's rules, never reads outside the datastore,
 * and reports missing or damaged files with a `MetaflowError` of the right code. Damage is
 * done to temporary copies, never to the unpacked fixture.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonLogger, silentLogger } from '../../src/logger.ts';
import { isMetaflowError, type MetaflowErrorCode } from '../../src/metaflow/errors.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { LogStream } from '../../src/metaflow/reader.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { copyFixtureRuns, type DatastoreCopy } from './datastore-copy.ts';

const flow = 'HelloFlow';
const runId = '1796413119215303';
/** Blob of the `label` artifact ('baseline') of every task of the run. */
const labelSha = '78179ff09f9d1b223472327755a68cc868c91791';

const fixtureReader = new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger });

async function failure(call: () => Promise<unknown>): Promise<{ code: MetaflowErrorCode; message: string }> {
  try {
    await call();
  } catch (error) {
    if (isMetaflowError(error)) {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error('The call succeeded, but a MetaflowError was expected.');
}

let copies: DatastoreCopy[] = [];

function damagedCopy(): { copy: DatastoreCopy; reader: LocalDatastoreReader; runFolder: string } {
  const copy = copyFixtureRuns(flow, [runId]);
  copies.push(copy);
  const reader = new LocalDatastoreReader({ root: copy.root, logger: silentLogger });
  return { copy, reader, runFolder: path.join(copy.datastore, flow, runId) };
}

afterEach(() => {
  for (const copy of copies) {
    copy.remove();
  }
  copies = [];
});

describe('invalid names', () => {
  const calls: [string, () => Promise<unknown>][] = [
    ['run id with parent segment', () => fixtureReader.getRun(flow, '../SleepyFlow')],
    ['absolute flow name', () => fixtureReader.getRun('/etc', '1')],
    ['relative flow name', () => fixtureReader.listRuns('..')],
    ['encoded separator in flow', () => fixtureReader.listRuns('Hello%2FFlow')],
    ['encoded separator in run id', () => fixtureReader.getRun(flow, '..%2F..%2Fetc')],
    ['NUL byte in task id', () => fixtureReader.getTask(flow, runId, 'start', '1\u0000')],
    ['dot step name', () => fixtureReader.listTasks(flow, runId, '.')],
    ['backslash in step name', () => fixtureReader.getTask(flow, runId, '..\\start', '1')],
    ['artifact name with path', () => fixtureReader.readArtifact(flow, runId, 'start', '1', '../../data')],
    ['unknown log stream', () => fixtureReader.readLog(flow, runId, 'start', '1', 'stdin' as LogStream)],
    ['latest run of invalid flow', () => fixtureReader.latestSuccessfulRun('Flow/../x')],
  ];

  it.each(calls)('rejects %s', async (_case, call) => {
    expect((await failure(call)).code).toBe('invalid_name');
  });

  it('explains the rejected run id', async () => {
    const { message } = await failure(() => fixtureReader.getRun(flow, '../SleepyFlow'));
    expect(message).toBe(
      'Run id "../SleepyFlow" is invalid because it contains a path separator. It may contain only letters, digits, "_", "-" and ".", and must not start with ".".',
    );
  });
});

describe('missing objects', () => {
  const calls: [string, () => Promise<unknown>, string][] = [
    ['flow', () => fixtureReader.listRuns('NoSuchFlow'), 'Flow NoSuchFlow was not found.'],
    ['run', () => fixtureReader.getRun(flow, '123'), 'Run HelloFlow/123 was not found.'],
    ['run of task', () => fixtureReader.getTask(flow, '123', 'start', '1'), 'Run HelloFlow/123 was not found.'],
    ['step', () => fixtureReader.listTasks(flow, runId, 'nosuchstep'), `Step HelloFlow/${runId}/nosuchstep was not found.`],
    ['task', () => fixtureReader.getTask(flow, runId, 'start', '99'), `Task HelloFlow/${runId}/start/99 was not found.`],
    ['artifact', () => fixtureReader.readArtifact(flow, runId, 'start', '1', 'nothing'), `Artifact nothing of task HelloFlow/${runId}/start/1 was not found.`],
  ];

  it.each(calls)('reports missing %s', async (_case, call, message) => {
    const result = await failure(call);
    expect(result.code).toBe('not_found');
    expect(result.message).toBe(message);
  });
});

describe('symbolic links', () => {
  it('rejects run linked outside', async () => {
    const { copy, reader } = damagedCopy();
    const outside = path.join(copy.root, 'outside-run');
    mkdirSync(path.join(outside, '_meta'), { recursive: true });
    writeFileSync(path.join(outside, '_meta', '_self.json'), JSON.stringify({ ts_epoch: 1, tags: [], system_tags: [] }));
    symlinkSync(outside, path.join(copy.datastore, flow, '1796413000000000'));

    const result = await failure(() => reader.getRun(flow, '1796413000000000'));
    expect(result.code).toBe('invalid_name');
    expect(result.message).toContain('leads outside the datastore through a symbolic link');
  });

  it('leaves linked run out of listing', async () => {
    const { copy } = damagedCopy();
    const lines: string[] = [];
    const reader = new LocalDatastoreReader({ root: copy.root, logger: createJsonLogger('warn', (line) => lines.push(line)) });
    const outside = path.join(copy.root, 'outside-run');
    mkdirSync(path.join(outside, '_meta'), { recursive: true });
    writeFileSync(path.join(outside, '_meta', '_self.json'), JSON.stringify({ ts_epoch: 9e12, tags: [], system_tags: [] }));
    symlinkSync(outside, path.join(copy.datastore, flow, '1796413000000000'));

    const runs = await reader.listRuns(flow);
    expect(runs.map((run) => run.id)).toEqual([runId]);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', path: 'HelloFlow/1796413000000000' });
  });

  it('rejects file linked outside', async () => {
    const { copy, reader, runFolder } = damagedCopy();
    const outsideFile = path.join(copy.root, 'data.json');
    writeFileSync(outsideFile, readFileSync(path.join(runFolder, 'start', '1', '0.data.json')));
    unlinkSync(path.join(runFolder, 'start', '1', '0.data.json'));
    symlinkSync(outsideFile, path.join(runFolder, 'start', '1', '0.data.json'));

    expect((await failure(() => reader.listArtifacts(flow, runId, 'start', '1'))).code).toBe('invalid_name');
  });

  it('follows links inside the datastore', async () => {
    const { copy, reader } = damagedCopy();
    symlinkSync(runId, path.join(copy.datastore, flow, '1796413000000001'));

    const run = await reader.getRun(flow, '1796413000000001');
    expect(run.createdAt).toBe((await fixtureReader.getRun(flow, runId)).createdAt);
  });
});

describe('damaged files', () => {
  it('reports truncated blob', async () => {
    const { copy, reader } = damagedCopy();
    const blob = path.join(copy.datastore, flow, 'data', labelSha.slice(0, 2), labelSha);
    truncateSync(blob, Math.floor(readFileSync(blob).length / 2));

    const result = await failure(() => reader.readArtifact(flow, runId, 'start', '1', 'label'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain('Artifact label of task HelloFlow/');
  });

  it('reports blob that is not a pickle', async () => {
    const { copy, reader } = damagedCopy();
    writeFileSync(path.join(copy.datastore, flow, 'data', labelSha.slice(0, 2), labelSha), 'not a pickle');

    expect((await failure(() => reader.readArtifact(flow, runId, 'start', '1', 'label'))).code).toBe('corrupt_data');
  });

  it('reports missing blob', async () => {
    const { copy, reader } = damagedCopy();
    unlinkSync(path.join(copy.datastore, flow, 'data', labelSha.slice(0, 2), labelSha));

    const result = await failure(() => reader.readArtifact(flow, runId, 'start', '1', 'label'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain(`blob ${labelSha} is missing`);
  });

  it('reports invalid run record', async () => {
    const { reader, runFolder } = damagedCopy();
    writeFileSync(path.join(runFolder, '_meta', '_self.json'), '{"run_number": "1796413119215303", "ts_ep');

    const result = await failure(() => reader.getRun(flow, runId));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toBe(`HelloFlow/${runId}/_meta/_self.json in the datastore is not valid JSON (it may be truncated or half-written).`);
  });

  it('reports run record without time', async () => {
    const { reader, runFolder } = damagedCopy();
    writeFileSync(path.join(runFolder, '_meta', '_self.json'), '{"tags": [], "system_tags": []}');

    expect((await failure(() => reader.listRuns(flow))).code).toBe('corrupt_data');
  });

  it('reports invalid data.json', async () => {
    const { reader, runFolder } = damagedCopy();
    writeFileSync(path.join(runFolder, 'start', '1', '0.data.json'), '{"objects": {');

    expect((await failure(() => reader.listArtifacts(flow, runId, 'start', '1'))).code).toBe('corrupt_data');
  });

  it('reports half-written task', async () => {
    const { reader, runFolder } = damagedCopy();
    rmSync(path.join(runFolder, 'start', '1', '0.data.json'));

    const result = await failure(() => reader.listArtifacts(flow, runId, 'start', '1'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain('is half-written');
  });

  it('reports invalid attempt metadata', async () => {
    const { reader, runFolder } = damagedCopy();
    const file = path.join(runFolder, 'train', '2', '_meta', 'sysmeta_attempt_1796413119855.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, value: 'first' }));

    const result = await failure(() => reader.getTask(flow, runId, 'train', '2'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain('"first"');
  });

  it('reports truncated metadata event', async () => {
    const { reader, runFolder } = damagedCopy();
    truncateSync(path.join(runFolder, 'train', '2', '_meta', 'sysmeta_attempt-done_1796413119857.json'), 20);

    expect((await failure(() => reader.getTask(flow, runId, 'train', '2'))).code).toBe('corrupt_data');
  });

  it('reports _task_ok that is not a bool', async () => {
    const { reader, runFolder } = damagedCopy();
    const file = path.join(runFolder, 'end', '3', '_meta', '0_artifact__task_ok.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, sha: labelSha }));

    const result = await failure(() => reader.getTask(flow, runId, 'end', '3'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain('contains a str, but Metaflow stores a bool there');
  });

  it('reports artifact record with bad sha', async () => {
    const { reader, runFolder } = damagedCopy();
    const file = path.join(runFolder, 'end', '3', '_meta', '0_artifact__task_ok.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, sha: '../../../etc/passwd' }));

    expect((await failure(() => reader.getTask(flow, runId, 'end', '3'))).code).toBe('corrupt_data');
  });

  it('reports artifact missing from data.json', async () => {
    const { reader, runFolder } = damagedCopy();
    const file = path.join(runFolder, 'start', '1', '0.data.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { objects: Record<string, string>; info: Record<string, unknown> };
    delete data.objects['label'];
    writeFileSync(file, JSON.stringify(data));

    const result = await failure(() => reader.readArtifact(flow, runId, 'start', '1', 'label'));
    expect(result.code).toBe('corrupt_data');
    expect(result.message).toContain('does not list it');
  });
});
