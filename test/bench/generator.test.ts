import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { largeArtifactName, largeTaskFlowName, largeTaskRunId } from '../../bench/datastore/large-task-flow.ts';
import { manyRunsFlowName } from '../../bench/datastore/many-runs-flow.ts';
import { wideForeachFlowName, wideForeachRunId, wideForeachRunningRunId } from '../../bench/datastore/wide-foreach-flow.ts';
import { ensureBenchDatastore, type BenchDatastore, type DatastoreSizes } from '../../bench/generate-datastore.ts';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';

const sizes: DatastoreSizes = { runs: 12, foreachWidth: 20, logLines: 300, artifactItems: 2_500 };
const statusOptions = { staleAfterMs: 3_600_000, now: Date.UTC(2027, 0, 1) };

let parent: string;
let datastore: BenchDatastore;
let reader: LocalDatastoreReader;

beforeAll(() => {
  parent = mkdtempSync(path.join(tmpdir(), 'bench-datastore-'));
  datastore = ensureBenchDatastore(path.join(parent, 'datastore'), sizes);
  reader = new LocalDatastoreReader({ root: datastore.root, logger: silentLogger });
});

afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe('generated datastore', () => {
  test('lists every flow', async () => {
    expect((await reader.listFlows()).map((flow) => flow.name)).toEqual([largeTaskFlowName, manyRunsFlowName, wideForeachFlowName]);
  });

  test('lists every run newest first', async () => {
    const runs = await reader.listRuns(manyRunsFlowName);
    expect(runs).toHaveLength(sizes.runs);
    expect(runs.map((run) => run.createdAt)).toEqual([...runs.map((run) => run.createdAt)].sort((left, right) => right - left));
  });

  test('runs finished successfully', async () => {
    const runs = await reader.listRuns(manyRunsFlowName);
    expect(runs.every((run) => run.finished && run.successful && run.finishedAt !== null)).toBe(true);
  });

  test('runs carry users and tags', async () => {
    const runs = await reader.listRuns(manyRunsFlowName);
    expect(new Set(runs.map((run) => run.user))).toEqual(new Set(['alice', 'bob', 'carol', 'dave']));
    expect((await reader.listRuns(manyRunsFlowName, { tags: ['nightly'] })).length).toBe(2);
  });

  test('latest_run names the newest run', async () => {
    const [newest] = await reader.listRuns(manyRunsFlowName, { limit: 1 });
    expect(readFileSync(path.join(datastore.root, '.metaflow', manyRunsFlowName, 'latest_run'), 'utf8')).toBe(newest?.id);
  });

  test('parameters decode', async () => {
    const [newest] = await reader.listRuns(manyRunsFlowName, { limit: 1 });
    const parameters = await reader.getParameters(manyRunsFlowName, newest?.id ?? '');
    expect(parameters.map((parameter) => [parameter.name, parameter.type])).toEqual([
      ['learning_rate', 'float'],
      ['epochs', 'int'],
      ['label', 'str'],
    ]);
  });

  test('linear run has its DAG', async () => {
    const [newest] = await reader.listRuns(manyRunsFlowName, { limit: 1 });
    const dag = await reader.getDag(manyRunsFlowName, newest?.id ?? '');
    expect(dag.steps.map((step) => [step.name, step.kind, step.next])).toEqual([
      ['start', 'start', ['train']],
      ['train', 'linear', ['end']],
      ['end', 'end', []],
    ]);
  });

  test('train log has one line per epoch', async () => {
    const [newest] = await reader.listRuns(manyRunsFlowName, { limit: 1 });
    const epochs = Number((await reader.getParameters(manyRunsFlowName, newest?.id ?? '')).find((parameter) => parameter.name === 'epochs')?.repr);
    const log = await reader.readLog(manyRunsFlowName, newest?.id ?? '', 'train', '2', 'stdout');
    expect(log.totalLines).toBe(epochs);
    expect(log.lines.at(-1)?.text).toMatch(new RegExp(`^epoch ${epochs}/${epochs} loss `));
  });

  test('foreach run succeeded', async () => {
    const status = await reader.getRunStatus(wideForeachFlowName, wideForeachRunId, statusOptions);
    expect(status.state).toBe('succeeded');
    expect(status.tasksTotal).toBe(sizes.foreachWidth + 3);
    expect(status.stepsDone).toBe(4);
  });

  test('unfinished foreach run is stale', async () => {
    const status = await reader.getRunStatus(wideForeachFlowName, wideForeachRunningRunId, statusOptions);
    expect(status.state).toBe('stale');
    expect(status.tasksTotal).toBe(sizes.foreachWidth + 1);
    expect(status.tasksRunning).toBe(16);
    expect(status.stepsDone).toBe(1);
  });

  test('latest_run names the unfinished foreach run', () => {
    expect(readFileSync(path.join(datastore.root, '.metaflow', wideForeachFlowName, 'latest_run'), 'utf8')).toBe(wideForeachRunningRunId);
  });

  test('foreach tasks know their index', async () => {
    const tasks = await reader.listTasks(wideForeachFlowName, wideForeachRunId, 'shard');
    expect(tasks.map((task) => task.foreachIndex).sort((left, right) => (left ?? 0) - (right ?? 0))).toEqual(Array.from({ length: sizes.foreachWidth }, (_, index) => index));
  });

  test('foreach DAG is a foreach', async () => {
    const dag = await reader.getDag(wideForeachFlowName, wideForeachRunId);
    expect(dag.steps.find((step) => step.name === 'start')).toEqual({ name: 'start', kind: 'foreach', next: ['shard'], foreachArtifact: 'shards' });
  });

  test('shard artifacts decode', async () => {
    const value = await reader.readArtifact(wideForeachFlowName, wideForeachRunId, 'shard', '5', 'shard_id');
    expect(value.repr).toBe('3');
  });

  test('large log keeps every line', async () => {
    const log = await reader.readLog(largeTaskFlowName, largeTaskRunId, 'start', '1', 'stdout', { tailLines: 40 });
    expect(log.totalLines).toBe(sizes.logLines);
    expect(log.lines).toHaveLength(40);
    expect(log.lines.at(-1)?.text).toBe(`batch ${sizes.logLines}/${sizes.logLines}: scored ${sizes.artifactItems} rows, running loss 0.0398`);
  });

  test('large log has stderr', async () => {
    const log = await reader.readLog(largeTaskFlowName, largeTaskRunId, 'start', '1', 'stderr');
    expect(log.lines.map((line) => line.text)).toEqual(['scoring done']);
  });

  test('large artifact decodes', async () => {
    const value = await reader.readArtifact(largeTaskFlowName, largeTaskRunId, 'start', '1', largeArtifactName, { maxReprLength: 2_500 });
    expect(value.info.type).toBe('list');
    expect(value.decoded).toBe(true);
    expect(value.truncated).toBe(true);
    expect(value.repr).toMatch(/^\[0\.\d+, 0\.\d+/);
  });

  test('large artifact size is the pickle size', async () => {
    const artifacts = await reader.listArtifacts(largeTaskFlowName, largeTaskRunId, 'start', '1');
    // Each float is a 9-byte BINFLOAT; the rest is framing and batch opcodes.
    expect(artifacts.find((artifact) => artifact.name === largeArtifactName)?.size).toBeGreaterThan(sizes.artifactItems * 9);
  });

  test('blob names are the SHA-1 of the pickle', () => {
    const data = path.join(datastore.root, '.metaflow', wideForeachFlowName, 'data');
    const mismatched = readdirSync(data).flatMap((prefix) =>
      readdirSync(path.join(data, prefix))
        .filter((name) => !name.endsWith('_meta'))
        .filter((sha) => createHash('sha1').update(gunzipSync(readFileSync(path.join(data, prefix, sha)))).digest('hex') !== sha),
    );
    expect(mismatched).toEqual([]);
  });

  test('records are written as Python writes JSON', () => {
    const self = readFileSync(path.join(datastore.root, '.metaflow', wideForeachFlowName, wideForeachRunId, '_meta', '_self.json'), 'utf8');
    expect(self).toBe(
      `{"run_number": "${wideForeachRunId}", "flow_id": "${wideForeachFlowName}", "user_name": "alice", "tags": ["fanout"], "system_tags": ["metaflow_version:2.19.38", "runtime:dev", "user:alice", "python_version:3.11.2"], "ts_epoch": ${Math.floor(Number(wideForeachRunId) / 1000) + 1}}`,
    );
  });

  test('manifest counts the files', () => {
    expect(datastore.manifest.entries).toBeGreaterThan(sizes.runs * 100);
  });
});

describe('ensureBenchDatastore', () => {
  test('reuses a complete datastore', () => {
    expect(ensureBenchDatastore(datastore.root, sizes).generated).toBe(false);
  });

  test('regenerates for other sizes', () => {
    const folder = path.join(parent, 'other');
    ensureBenchDatastore(folder, { ...sizes, runs: 2 });
    const regenerated = ensureBenchDatastore(folder, { ...sizes, runs: 3 });
    expect(regenerated.generated).toBe(true);
    expect(readdirSync(path.join(folder, '.metaflow', manyRunsFlowName)).filter((name) => /^\d+$/.test(name))).toHaveLength(3);
  });

  test('leaves no partial folder', () => {
    expect(readdirSync(parent).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
