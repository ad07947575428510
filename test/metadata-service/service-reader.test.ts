import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { metadataServiceFixtureDir } from '../support/fixture-paths.ts';
import type { Phase } from './contract-server.ts';
import { openServiceReader, unexpectedRequests, type ServiceSetup } from './service-fixture.ts';

interface ClientTask {
  id: string;
  finished: boolean;
  successful: boolean;
  current_attempt: number;
  finished_at: string | null;
  stdout: string;
  stderr: string;
}
interface ClientRun {
  finished: boolean;
  successful: boolean;
  finished_at: string | null;
  steps: Record<string, ClientTask[]>;
}

/** What the official client answered, by run pathspec. */
const clientView = JSON.parse(readFileSync(path.join(metadataServiceFixtureDir, 'client-view.json'), 'utf8')) as Record<string, ClientRun>;

/** The client prints UTC times as `2026-12-04 19:34:22.123000`. */
function clientTime(text: string | null): number | null {
  return text === null ? null : Date.parse(`${text.replace(' ', 'T').slice(0, 23)}Z`);
}

function clientTask(run: string, step: string, id: string): ClientTask {
  const task = clientView[run]?.steps[step]?.find((candidate) => candidate.id === id);
  if (task === undefined) {
    throw new Error(`client-view.json has no task ${run}/${step}/${id}`);
  }
  return task;
}

const staleAfterMs = 10 * 60_000;
let setup: ServiceSetup | null = null;

async function open(phase: Phase): Promise<ServiceSetup> {
  setup = await openServiceReader(phase);
  return setup;
}

afterEach(async () => {
  const unmatched = setup === null ? [] : unexpectedRequests(setup.server);
  await setup?.close();
  setup = null;
  expect(unmatched, 'requests the recordings do not cover').toEqual([]);
});

describe('ServiceReader against the client view', () => {
  for (const pathspec of ['LinearParamFlow/1', 'ForeachFlow/2', 'FailingFlow/3', 'SlowFlow/5']) {
    test(`run ${pathspec}`, async () => {
      const { reader } = await open('c');
      const [flow, runId] = pathspec.split('/') as [string, string];
      const run = await reader.getRun(flow, runId);
      const expected = clientView[pathspec] as ClientRun;
      expect(run.finished).toBe(expected.finished);
      expect(run.successful).toBe(expected.successful);
      expect(run.finishedAt).toBe(clientTime(expected.finished_at));
    });
  }

  const tasks: [string, string, string][] = [
    ['LinearParamFlow/1', 'start', '2'],
    ['ForeachFlow/2', 'process', '7'],
    ['FailingFlow/3', 'boom', '21'],
    ['RetryFlow/4', 'flaky', '24'],
  ];
  for (const [run, step, id] of tasks) {
    test(`task ${run}/${step}/${id}`, async () => {
      const { reader } = await open('c');
      const [flow, runId] = run.split('/') as [string, string];
      const task = await reader.getTask(flow, runId, step, id);
      const expected = clientTask(run, step, id);
      expect(task.finished).toBe(expected.finished);
      expect(task.successful).toBe(expected.successful);
      expect(task.currentAttempt).toBe(expected.current_attempt);
      expect(task.finishedAt).toBe(clientTime(expected.finished_at));
    });
  }

  const logs: [string, string, string][] = [
    ['LinearParamFlow/1', 'start', '2'],
    ['LinearParamFlow/1', 'transform', '3'],
    ['FailingFlow/3', 'boom', '21'],
    ['RetryFlow/4', 'flaky', '24'],
  ];
  for (const [run, step, id] of logs) {
    test(`logs ${run}/${step}/${id}`, async () => {
      const { reader } = await open('c');
      const [flow, runId] = run.split('/') as [string, string];
      const expected = clientTask(run, step, id);
      for (const stream of ['stdout', 'stderr'] as const) {
        const tail = await reader.readLog(flow, runId, step, id, stream);
        // client-view.json keeps only the end of a long stderr (a traceback), so compare endings.
        expect(tail.lines.map((line) => `${line.text}\n`).join('').endsWith(expected[stream])).toBe(true);
      }
    });
  }

  test('retried task log is attempt 1', async () => {
    const { reader } = await open('c');
    const tail = await reader.readLog('RetryFlow', '4', 'flaky', '24', 'stdout');
    expect(tail.attempt).toBe(1);
  });

  test('artifact values', async () => {
    const { reader } = await open('c');
    const numbers = await reader.readArtifact('LinearParamFlow', '1', 'start', '2', 'numbers');
    expect(numbers.repr).toBe('[0, 1, 2, 3, 4]');
    expect(numbers.info.type).toBe('list');
  });

  test('artifact list', async () => {
    const { reader } = await open('c');
    const names = (await reader.listArtifacts('LinearParamFlow', '1', 'start', '2')).map((artifact) => artifact.name);
    expect(names).toEqual(['alpha', 'config', 'label', 'n', 'name', 'numbers']);
  });

  test('missing artifact', async () => {
    const { reader } = await open('c');
    await expect(reader.readArtifact('LinearParamFlow', '1', 'start', '2', 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('parameters', async () => {
    const { reader } = await open('c');
    const parameters = await reader.getParameters('LinearParamFlow', '1');
    expect(parameters.map((parameter) => `${parameter.name}=${parameter.repr}`)).toEqual(['alpha=2.0', "label='first-run'", 'n=5']);
  });

  test('DAG', async () => {
    const { reader } = await open('c');
    const dag = await reader.getDag('LinearParamFlow', '1');
    expect(dag.steps.map((step) => step.name)).toEqual(['start', 'transform', 'end']);
  });

  test('unknown run', async () => {
    const { reader } = await open('c');
    await expect(reader.getRun('LinearParamFlow', '999999')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('unknown flow', async () => {
    const { reader } = await open('c');
    await expect(reader.listRuns('NoSuchFlow')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('ServiceReader status', () => {
  test('failed task exception', async () => {
    const { reader, now } = await open('c');
    const status = await reader.getRunStatus('FailingFlow', '3', { now, staleAfterMs });
    expect(status.state).toBe('failed');
    expect(status.failures[0]?.exception).toContain('ValueError: deliberate failure for the fixture');
  });

  test('foreach run succeeded', async () => {
    const { reader, now } = await open('c');
    const status = await reader.getRunStatus('ForeachFlow', '2', { now, staleAfterMs });
    expect(status.state).toBe('succeeded');
    expect(status.tasksTotal).toBe(13);
    expect(status.stepsDone).toBe(4);
  });

  const slowFlowStates: [Phase, string][] = [
    ['a', 'running'],
    ['b', 'running'],
    ['c', 'stale'],
  ];
  for (const [phase, state] of slowFlowStates) {
    test(`SlowFlow/5 in phase ${phase}`, async () => {
      const { reader, now } = await open(phase);
      const status = await reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs });
      expect(status.state).toBe(state);
    });
  }

  test('fresh failure is failed at once', async () => {
    const { reader, now } = await open('e');
    const status = await reader.getRunStatus('FailingFlow', '55', { now, staleAfterMs });
    expect(status.state).toBe('failed');
  });
});

describe('ServiceReader graph and end step', () => {
  test('failed run without recorded graph', async () => {
    const { reader, now } = await open('c');
    const status = await reader.getRunStatus('FailingFlow', '3', { now, staleAfterMs });
    expect(status.failures.map((failure) => failure.task.pathspec)).toEqual(['FailingFlow/3/boom/21']);
    expect(status.stepsTotal).toBe(3);
  });

  test('parameters without recorded graph', async () => {
    const { reader } = await open('c');
    await expect(reader.getParameters('SlowFlow', '5')).resolves.toEqual([]);
  });

  test('DAG from the datastore index', async () => {
    const { reader } = await open('c');
    const dag = await reader.getDag('FailingFlow', '3');
    expect(dag.steps.map((step) => step.name)).toEqual(['start', 'boom', 'end']);
  });

  test('parameters of unknown run', async () => {
    const { reader } = await open('c');
    await expect(reader.getParameters('LinearParamFlow', '999999')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('end step from _parameters metadata', async () => {
    const { reader, server } = await open('c');
    const run = await reader.getRun('LinearParamFlow', '1');
    expect(run.endStep).toBe('end');
    expect(server.requests).toContain('GET /flows/LinearParamFlow/runs/1/steps/_parameters/tasks/1/metadata');
  });

  test('end step from run metadata', async () => {
    const { reader, server } = await open('c');
    await reader.getRunStatus('SlowFlow', '5', { now: 0, staleAfterMs });
    await reader.getRun('SlowFlow', '5');
    expect(server.requests).toContain('GET /flows/SlowFlow/runs/5/metadata');
    expect(server.requests.filter((request) => request.includes('/_parameters/tasks'))).toEqual([]);
  });
});

describe('ServiceReader filters', () => {
  test('user with a comma: matched here', async () => {
    const { reader, server } = await open('c');
    await expect(reader.listRuns('LinearParamFlow', { user: 'alice,bob', limit: 5 })).resolves.toEqual([]);
    expect(server.requests).toEqual(['GET /flows/LinearParamFlow/runs?_limit=100']);
  });

  test('tag with a comma: matched here', async () => {
    const { reader, server } = await open('c');
    await expect(reader.listRuns('LinearParamFlow', { tags: ['nightly,experiment'], limit: 5 })).resolves.toEqual([]);
    expect(server.requests).toEqual(['GET /flows/LinearParamFlow/runs?_limit=100']);
  });

  test('user null: matched here', async () => {
    const { reader, server } = await open('c');
    await expect(reader.listRuns('LinearParamFlow', { user: 'null', limit: 5 })).resolves.toEqual([]);
    expect(server.requests).toEqual(['GET /flows/LinearParamFlow/runs?_limit=100']);
  });
});

describe('ServiceReader request counts', () => {
  test('foreach status', async () => {
    const { reader, client, now } = await open('c');
    await reader.getRunStatus('ForeachFlow', '2', { now, staleAfterMs });
    // run, steps, run metadata and the task lists of the 4 steps. The recordings have no
    // metadata of the end task, so its _task_ok and _success follow.
    expect(client.requestCount).toBe(9);
  });

  test('foreach status warm', async () => {
    const { reader, client, now } = await open('c');
    await reader.getRunStatus('ForeachFlow', '2', { now, staleAfterMs });
    const before = client.requestCount;
    await reader.getRunStatus('ForeachFlow', '2', { now, staleAfterMs });
    // run and steps: the end state and task counts of a finished run are cached
    expect(client.requestCount - before).toBe(2);
  });

  test('killed run status', async () => {
    const { reader, client, now } = await open('c');
    await reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs });
    // run, steps, run metadata and 2 task lists; the graph comes from the datastore
    expect(client.requestCount).toBe(5);
  });

  test('killed run status warm', async () => {
    const { reader, client, now } = await open('c');
    await reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs });
    const before = client.requestCount;
    await reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs });
    // the same: the graph is cached, and a run that may be running has no cached end
    expect(client.requestCount - before).toBe(5);
  });

  test('finished run status from recorded run metadata', async () => {
    const { reader, server, now } = await open('c');
    const status = await reader.getRunStatus('LinearParamFlow', '1', { now, staleAfterMs });
    expect(status.state).toBe('succeeded');
    expect(status.tasksTotal).toBe(3);
    expect(status.run.finishedAt).toBe(clientTime(clientView['LinearParamFlow/1']?.finished_at ?? null));
    // run, steps and run metadata, which names every task and the end task's verdict, then
    // the time of the end task's `_task_ok` record: 4 requests, no task list
    expect(server.requests).toEqual([
      'GET /flows/LinearParamFlow/runs/1',
      'GET /flows/LinearParamFlow/runs/1/steps',
      'GET /flows/LinearParamFlow/runs/1/metadata',
      'GET /flows/LinearParamFlow/runs/1/steps/end/tasks/4/artifacts/_task_ok',
    ]);
  });

  test('steps from run metadata', async () => {
    const { reader, server } = await open('c');
    const steps = await reader.listSteps('LinearParamFlow', '1');
    expect(steps.find((step) => step.name === 'end')?.finishedAt).not.toBeNull();
    // the steps, their 3 task lists and the run's metadata, no request per task
    expect([...server.requests].sort()).toEqual([
      'GET /flows/LinearParamFlow/runs/1/metadata',
      'GET /flows/LinearParamFlow/runs/1/steps',
      'GET /flows/LinearParamFlow/runs/1/steps/end/tasks',
      'GET /flows/LinearParamFlow/runs/1/steps/start/tasks',
      'GET /flows/LinearParamFlow/runs/1/steps/transform/tasks',
    ]);
  });

  test('finished task artifacts cached', async () => {
    const { reader, client } = await open('c');
    await reader.getTask('LinearParamFlow', '1', 'start', '2');
    await reader.listArtifacts('LinearParamFlow', '1', 'start', '2');
    const before = client.requestCount;
    await reader.listArtifacts('LinearParamFlow', '1', 'start', '2');
    expect(client.requestCount - before).toBe(0);
  });

  test('finished run cached', async () => {
    const { reader, client } = await open('c');
    await reader.getRun('ForeachFlow', '2');
    const before = client.requestCount;
    await reader.getRun('ForeachFlow', '2');
    expect(client.requestCount - before).toBe(1);
  });

  test('newest five runs page', async () => {
    const { client } = await open('c');
    const page = await client.getPage('/flows/LinearParamFlow/runs', { _limit: '5' });
    expect(page.rows).toHaveLength(5);
    expect(page.nextCursor).not.toBeNull();
    expect(client.requestCount).toBe(1);
  });

  test('second page by cursor', async () => {
    const { client } = await open('c');
    const rows: unknown[] = [];
    for await (const page of client.iteratePages('/flows/LinearParamFlow/runs', {}, 5, 10)) {
      rows.push(...page);
    }
    expect(rows).toHaveLength(10);
    expect(client.requestCount).toBe(2);
  });

  test('user filter server side', async () => {
    const { client } = await open('c');
    const rows = await client.getList('/flows/LinearParamFlow/runs', { 'user:eq': 'alice' });
    expect(rows.every((row) => (row as { user: string }).user === 'alice')).toBe(true);
  });
});
