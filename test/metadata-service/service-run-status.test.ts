import { describe, expect, test } from 'vitest';
import type { RunInfo, TaskInfo } from '../../src/metaflow/reader.ts';
import { computeServiceRunStatus, type FrontierTask } from '../../src/metaflow/service/service-run-status.ts';

const createdAt = Date.UTC(2026, 11, 4, 10);
const now = createdAt + 120_000;

const run: RunInfo = {
  flow: 'NestedForeachFlow',
  id: '7',
  pathspec: 'NestedForeachFlow/7',
  user: 'alice',
  userTags: [],
  systemTags: [],
  createdAt,
  finished: false,
  successful: false,
  finishedAt: null,
  endStep: 'end',
};

function task(step: string, id: string): TaskInfo {
  return {
    flow: run.flow,
    runId: run.id,
    step,
    id,
    pathspec: `${run.pathspec}/${step}/${id}`,
    createdAt: createdAt + 1_000,
    finished: false,
    successful: false,
    finishedAt: null,
    currentAttempt: 0,
    attempts: [],
    foreachIndex: 0,
    lastActivityAt: now - 5_000,
  };
}

describe('computeServiceRunStatus', () => {
  // Inside a foreach, `train` of one split starts while `prepare` of another still runs, so
  // `prepare` is outside the frontier and its failure must still fail the run.
  test('failure before the frontier fails the run', () => {
    const running: FrontierTask = { info: task('train', '5'), state: 'running' };
    const status = computeServiceRunStatus({
      run,
      runHeartbeatAt: now - 5_000,
      steps: [
        { name: 'train', taskCount: 1 },
        { name: 'prepare', taskCount: 2 },
        { name: 'start', taskCount: 1 },
      ],
      frontier: ['train'],
      frontierTasks: [running],
      closedStepFailures: [task('prepare', '4')],
      dagStepCount: 5,
      staleAfterMs: 600_000,
      now,
    });
    expect(status.state).toBe('failed');
    expect(status.failedTasks.map((failed) => failed.pathspec)).toEqual(['NestedForeachFlow/7/prepare/4']);
    expect(status.tasksFailed).toBe(1);
  });

  test('running frontier without failures runs', () => {
    const status = computeServiceRunStatus({
      run,
      runHeartbeatAt: now - 5_000,
      steps: [{ name: 'train', taskCount: 1 }],
      frontier: ['train'],
      frontierTasks: [{ info: task('train', '5'), state: 'running' }],
      closedStepFailures: [],
      dagStepCount: 5,
      staleAfterMs: 600_000,
      now,
    });
    expect(status.state).toBe('running');
  });
});
