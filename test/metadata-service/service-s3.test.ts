import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LocalBlobStore } from '../../src/metaflow/local-blob-store.ts';
import { isMetaflowError } from '../../src/metaflow/errors.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';
import { s3rverCredentials } from '../s3/s3-test-server.ts';
import { createThreadHarness, joinReplies, type ThreadHarness } from '../support/thread-harness.ts';
import { phaseRecordedAt, type Phase } from './contract-server.ts';
import { exchanges, serviceDatastoreRoot } from './service-fixture.ts';
import { createDatastoreStore, openReaderOnStore, startDatastoreBucket, type DatastoreBucket, type ServiceS3Setup, type TestCredentials } from './service-s3-fixture.ts';

const phase: Phase = 'c';
const now = phaseRecordedAt(exchanges, phase);
const staleAfterMs = 10 * 60_000;

/** The blob of `numbers` (`[0, 1, 2, 3, 4]`) of LinearParamFlow/1, and the stdout of its `start` task. */
const numbersBlob = ['LinearParamFlow', 'data', 'c2', 'c29c8c9139db93dee1260acc46ecf8db9745b941'];
const startStdout = ['LinearParamFlow', '1', 'start', '2', '0.runtime_stdout.log'];

/** An access key that s3rver does not know, so it rejects every request with 403 `InvalidAccessKeyId`. */
const unknownCredentials: TestCredentials = { accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'UNKNOWNKEY' };

let bucket: DatastoreBucket;
const opened: ServiceS3Setup[] = [];

beforeAll(async () => {
  bucket = await startDatastoreBucket();
}, 60_000);

afterAll(async () => {
  await bucket.close();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((setup) => setup.close()));
});

/** Opens a service reader whose datastore is the bucket (`'s3'`) or the local folder `blobs`. */
async function openReader(blobs: string, credentials?: () => TestCredentials): Promise<MetaflowReader> {
  const store = blobs === 's3' ? createDatastoreStore(bucket, credentials) : new LocalBlobStore(blobs);
  const setup = await openReaderOnStore(phase, store);
  opened.push(setup);
  return setup.reader;
}

/** Runs `read` and returns its value, or the code of the `MetaflowError` it throws, so that failures of both readers compare too. */
async function outcome<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    if (isMetaflowError(error)) {
      return { error: error.code };
    }
    throw error;
  }
}

/** A run to compare, with tasks (`[step, task id]`) to read besides those its step list reaches. */
interface ComparedRun {
  flow: string;
  runId: string;
  tasks: [string, string][];
}

/**
 * Reads what a thread shows of a run: status, parameters, and for every task each public
 * artifact's value and the last lines of stdout and stderr.
 */
async function readRunView(reader: MetaflowReader, run: ComparedRun): Promise<Record<string, unknown>> {
  const { flow, runId } = run;
  const view: Record<string, unknown> = {
    status: await outcome(() => reader.getRunStatus(flow, runId, { now, staleAfterMs })),
    parameters: await outcome(() => reader.getParameters(flow, runId)),
  };
  const tasks = [...run.tasks];
  for (const step of await reader.listSteps(flow, runId)) {
    tasks.push(...(await reader.listTasks(flow, runId, step.name)).map((task): [string, string] => [step.name, task.id]));
  }
  for (const [step, taskId] of tasks) {
    Object.assign(view, await readTaskView(reader, flow, runId, step, taskId));
  }
  return view;
}

/** Reads each public artifact's value and the last lines of stdout and stderr of one task. */
async function readTaskView(reader: MetaflowReader, flow: string, runId: string, step: string, taskId: string): Promise<Record<string, unknown>> {
  const where = `${step}/${taskId}`;
  const artifacts = await reader.listArtifacts(flow, runId, step, taskId);
  const view: Record<string, unknown> = { [`${where} artifacts`]: artifacts };
  for (const artifact of artifacts) {
    view[`${where} ${artifact.name}`] = await outcome(() => reader.readArtifact(flow, runId, step, taskId, artifact.name));
  }
  view[`${where} stdout`] = await outcome(() => reader.readLog(flow, runId, step, taskId, 'stdout', { tailLines: 20 }));
  view[`${where} stderr`] = await outcome(() => reader.readLog(flow, runId, step, taskId, 'stderr', { tailLines: 20 }));
  return view;
}

describe('service reader on an S3 datastore', () => {
  test('bucket holds every datastore file', () => {
    expect(bucket.keys.length).toBeGreaterThan(2_000);
  });

  // The recordings list no steps of RetryFlow/4, so its retried task is named here.
  const runs: ComparedRun[] = [
    { flow: 'LinearParamFlow', runId: '1', tasks: [] },
    { flow: 'ForeachFlow', runId: '2', tasks: [] },
    { flow: 'FailingFlow', runId: '3', tasks: [] },
    { flow: 'RetryFlow', runId: '4', tasks: [['flaky', '24']] },
    { flow: 'SlowFlow', runId: '5', tasks: [] },
  ];
  for (const run of runs) {
    test(`${run.flow}/${run.runId} reads as on local disk`, async () => {
      const fromS3 = await readRunView(await openReader('s3'), run);
      const fromDisk = await readRunView(await openReader(serviceDatastoreRoot), run);
      expect(fromS3).toEqual(fromDisk);
    });
  }

  test('artifact value', async () => {
    const reader = await openReader('s3');
    const value = await reader.readArtifact('LinearParamFlow', '1', 'start', '2', 'numbers');
    expect(value.repr).toBe('[0, 1, 2, 3, 4]');
  });

  test('parameters', async () => {
    const reader = await openReader('s3');
    const parameters = await reader.getParameters('LinearParamFlow', '1');
    expect(parameters.map((parameter) => `${parameter.name}=${parameter.repr}`)).toEqual(['alpha=2.0', "label='first-run'", 'n=5']);
  });

  test('stdout tail', async () => {
    const reader = await openReader('s3');
    const tail = await reader.readLog('LinearParamFlow', '1', 'start', '2', 'stdout', { tailLines: 5 });
    expect(tail.lines.map((line) => line.text)).toEqual(['start: alpha=2.0 label=first-run n=5 user=alice']);
  });

  test('stderr tail', async () => {
    const reader = await openReader('s3');
    const tail = await reader.readLog('LinearParamFlow', '1', 'transform', '3', 'stderr', { tailLines: 5 });
    expect(tail.totalLines).toBe(1);
  });

  test('retried task log', async () => {
    const reader = await openReader('s3');
    const tail = await reader.readLog('RetryFlow', '4', 'flaky', '24', 'stdout', { tailLines: 5 });
    expect({ attempt: tail.attempt, empty: tail.lines.length === 0 }).toEqual({ attempt: 1, empty: false });
  });

  test('missing log of ended task', async () => {
    const reader = await openReader('s3');
    await bucket.remove(startStdout);
    try {
      await expect(reader.readLog('LinearParamFlow', '1', 'start', '2', 'stdout')).rejects.toMatchObject({ code: 'corrupt_data' });
    } finally {
      await bucket.restore(startStdout);
    }
  });

  test('killed task log empty', async () => {
    const reader = await openReader('s3');
    const tail = await reader.readLog('SlowFlow', '5', 'wait', '28', 'stdout', { tailLines: 5 });
    expect(tail.totalLines).toBe(0);
  });

  test('failed run status', async () => {
    const reader = await openReader('s3');
    const status = await reader.getRunStatus('FailingFlow', '3', { now, staleAfterMs });
    expect(status.failures[0]?.exception).toContain('ValueError: deliberate failure for the fixture');
  });
});

/** Text that would show an exception as it was thrown rather than as a sentence. */
const rawErrorPatterns = [/\n\s+at /, /\$metadata/, /\bError:/, /\[object Object\]/, /Traceback/];

function expectCleanReply(reply: string): void {
  for (const pattern of rawErrorPatterns) {
    expect(reply).not.toMatch(pattern);
  }
}

describe('thread on an S3 datastore: faults', () => {
  let credentials = s3rverCredentials;
  const removed: string[][] = [];

  afterEach(async () => {
    credentials = s3rverCredentials;
    await Promise.all(removed.splice(0).map((key) => bucket.restore(key)));
  });

  async function openThread(): Promise<ThreadHarness> {
    const harness = createThreadHarness({ reader: await openReader('s3', () => credentials), now });
    await harness.say('inspect LinearParamFlow/1');
    return harness;
  }

  async function ask(harness: ThreadHarness, text: string): Promise<string> {
    return joinReplies(await harness.say(text));
  }

  async function removeObject(key: string[]): Promise<void> {
    removed.push(key);
    await bucket.remove(key);
  }

  test('conversation', async () => {
    const harness = await openThread();
    expect(joinReplies(harness.replies)).toContain('`LinearParamFlow/1`* by alice: succeeded');
    expect(await ask(harness, 'params')).toContain("label = 'first-run'");
    expect(await ask(harness, 'data start/numbers')).toContain('[0, 1, 2, 3, 4]');
    expect(await ask(harness, 'logs start')).toContain('start: alpha=2.0 label=first-run n=5 user=alice');
  });

  const deniedQuestions: [string, string][] = [
    ['artifact', 'data start/numbers'],
    ['log', 'logs start'],
  ];
  for (const [name, question] of deniedQuestions) {
    test(`access denied: ${name} reply`, async () => {
      const harness = await openThread();
      credentials = unknownCredentials;
      const reply = await ask(harness, question);
      expect(reply).toContain('denied access');
      expectCleanReply(reply);
    });

    test(`access denied: ${name} keeps state`, async () => {
      const harness = await openThread();
      const before = harness.session.state;
      credentials = unknownCredentials;
      await harness.say(question);
      expect(harness.session.state).toEqual(before);
    });
  }

  test('access denied: log reply names status', async () => {
    const harness = await openThread();
    // The first reply caches the task and its `_task_ok`, so the second reads only the log.
    await harness.say('logs start');
    credentials = unknownCredentials;
    const reply = await ask(harness, 'logs start');
    expect(reply).toContain('0.runtime_stdout.log (HTTP 403)');
  });

  test('access denied: next question answered', async () => {
    const harness = await openThread();
    credentials = unknownCredentials;
    await harness.say('data start/numbers');
    credentials = s3rverCredentials;
    expect(await ask(harness, 'data start/numbers')).toContain('[0, 1, 2, 3, 4]');
  });

  test('missing blob: reply', async () => {
    const harness = await openThread();
    await removeObject(numbersBlob);
    const reply = await ask(harness, 'data start/numbers');
    expect(reply).toContain('is missing from the S3 datastore');
    expectCleanReply(reply);
  });

  test('access denied: summary without parameters', async () => {
    const harness = createThreadHarness({ reader: await openReader('s3', () => credentials), now });
    credentials = unknownCredentials;
    const reply = await ask(harness, 'inspect LinearParamFlow/1');
    expect(reply).toContain('`LinearParamFlow/1`* by alice: succeeded');
    expect(reply).toContain('Parameters: not read. S3 at');
    expect(harness.session.state).toMatchObject({ context: { run: { flow: 'LinearParamFlow', runId: '1' } } });
  });

  test('access denied: exception not read', async () => {
    const harness = createThreadHarness({ reader: await openReader('s3', () => credentials), now });
    credentials = unknownCredentials;
    await harness.say('inspect FailingFlow/3');
    const reply = await ask(harness, 'status');
    expect(reply).toContain('Failed in step `boom`');
    expect(reply).toContain('Its exception could not be read:_ S3 at');
    expect(reply).not.toContain('No exception was stored');
  });

  test('access denied: run end from metadata', async () => {
    const reader = await openReader('s3', () => credentials);
    credentials = unknownCredentials;
    const run = await reader.getRun('LinearParamFlow', '1');
    expect(run.finished).toBe(true);
    expect(run.successful).toBe(true);
  });

  test('access denied: status without graph', async () => {
    const reader = await openReader('s3', () => credentials);
    credentials = unknownCredentials;
    const status = await reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs: 600_000 });
    expect(status.state).toBe('stale');
    expect(status.stepsTotal).toBe(2);
  });

  test('missing index: type from the value', async () => {
    const harness = await openThread();
    await removeObject(['LinearParamFlow', '1', 'start', '2', '0.data.json']);
    const reply = await ask(harness, 'data start/numbers');
    expect(reply).toContain('(list,');
    expect(reply).toContain('[0, 1, 2, 3, 4]');
  });

  test('missing blob: keeps state', async () => {
    const harness = await openThread();
    const before = harness.session.state;
    await removeObject(numbersBlob);
    await harness.say('data start/numbers');
    expect(harness.session.state).toEqual(before);
  });

  test('missing blob: next question answered', async () => {
    const harness = await openThread();
    await removeObject(numbersBlob);
    await harness.say('data start/numbers');
    expect(await ask(harness, 'logs start')).toContain('start: alpha=2.0 label=first-run n=5 user=alice');
  });

  test('missing log: reply', async () => {
    const harness = await openThread();
    await removeObject(startStdout);
    const reply = await ask(harness, 'logs start');
    expect(reply).toContain('The stdout log of task LinearParamFlow/1/start/2, attempt 0, is missing from the S3 datastore');
    expectCleanReply(reply);
  });

  test('missing log: keeps state', async () => {
    const harness = await openThread();
    const before = harness.session.state;
    await removeObject(startStdout);
    await harness.say('logs start');
    expect(harness.session.state).toEqual(before);
  });

  test('missing log: next question answered', async () => {
    const harness = await openThread();
    await removeObject(startStdout);
    await harness.say('logs start');
    expect(await ask(harness, 'data start/numbers')).toContain('[0, 1, 2, 3, 4]');
  });
});
