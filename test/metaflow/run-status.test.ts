import { describe, expect, it } from 'vitest';
import type { GraphInfo } from '../../src/metaflow/local/graph-info.ts';
import { computeRunStatus, type StepTasks } from '../../src/metaflow/local/run-status.ts';
import type { AttemptState, TaskRecord } from '../../src/metaflow/local/task-reader.ts';
import type { RunInfo } from '../../src/metaflow/reader.ts';

const createdAt = 1_000_000;
const options = { staleAfterMs: 60_000, now: createdAt + 30_000 };

const run: RunInfo = {
  flow: 'RetryFlow',
  id: '1',
  pathspec: 'RetryFlow/1',
  user: 'alice',
  userTags: [],
  systemTags: ['user:alice'],
  createdAt,
  finished: false,
  successful: false,
  finishedAt: null,
  endStep: 'end',
};

function graphWithRetries(trainAttempts: number): GraphInfo {
  return {
    dag: {
      start: 'start',
      end: 'end',
      steps: [
        { name: 'start', kind: 'start', next: ['train'] },
        { name: 'train', kind: 'linear', next: ['end'] },
        { name: 'end', kind: 'end', next: [] },
      ],
    },
    parameterNames: [],
    maxAttempts: new Map([
      ['start', 1],
      ['train', trainAttempts],
      ['end', 1],
    ]),
    catchVariables: new Map(),
  };
}

function task(step: string, id: string, attemptState: AttemptState, currentAttempt = 0): TaskRecord {
  const finished = attemptState === 'done';
  return {
    info: {
      flow: run.flow,
      runId: run.id,
      step,
      id,
      pathspec: `${run.pathspec}/${step}/${id}`,
      createdAt: createdAt + Number(id) * 1000,
      finished,
      successful: finished,
      finishedAt: attemptState === 'running' ? null : createdAt + Number(id) * 1000 + 500,
      currentAttempt,
      attempts: [],
      foreachIndex: null,
      lastActivityAt: createdAt + Number(id) * 1000 + 500,
    },
    artifactAttempt: attemptState === 'running' ? null : currentAttempt,
    artifactNames: new Set(),
    attemptState,
  };
}

function steps(trainState: AttemptState, trainAttempt: number): StepTasks[] {
  return [
    { entry: { name: 'train', createdAt: createdAt + 2000 }, tasks: [task('train', '2', trainState, trainAttempt)] },
    { entry: { name: 'start', createdAt: createdAt + 1000 }, tasks: [task('start', '1', 'done')] },
  ];
}

describe('computeRunStatus', () => {
  it('waits for retry of failed attempt', () => {
    const status = computeRunStatus(run, graphWithRetries(3), steps('failed', 0), options);
    expect(status.state).toBe('running');
    expect(status.tasksRunning).toBe(1);
    expect(status.tasksFailed).toBe(0);
  });

  it('fails after the last attempt', () => {
    const status = computeRunStatus(run, graphWithRetries(3), steps('failed', 2), options);
    expect(status.state).toBe('failed');
    expect(status.tasksFailed).toBe(1);
    expect(status.failedTasks.map((failed) => failed.info.pathspec)).toEqual(['RetryFlow/1/train/2']);
  });

  it('fails without retry decorator', () => {
    expect(computeRunStatus(run, graphWithRetries(1), steps('failed', 0), options).state).toBe('failed');
  });

  it('fails without a recorded graph', () => {
    expect(computeRunStatus(run, null, steps('failed', 0), options).state).toBe('failed');
  });

  it('goes stale while waiting for retry', () => {
    const later = { ...options, now: createdAt + 10 * 60_000 };
    expect(computeRunStatus(run, graphWithRetries(3), steps('failed', 0), later).state).toBe('stale');
  });

  it('counts step done once next step started', () => {
    const status = computeRunStatus(run, graphWithRetries(1), steps('running', 0), options);
    expect(status.stepsDone).toBe(1);
    expect(status.stepsTotal).toBe(3);
  });

  it('keeps finished step open until next starts', () => {
    const onlyStart = steps('running', 0).slice(1);
    expect(computeRunStatus(run, graphWithRetries(1), onlyStart, options).stepsDone).toBe(0);
  });
});
