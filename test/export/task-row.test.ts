import { describe, expect, it } from 'vitest';
import { toTaskRow } from '../../src/export/task-row.ts';
import type { AttemptInfo, TaskInfo } from '../../src/metaflow/reader.ts';

const createdAt = Date.parse('2026-12-04T10:00:00.000Z');
const options = { now: createdAt + 600_000, staleAfterMs: 120_000 };

function attempt(number: number, outcome: Partial<AttemptInfo> = {}): AttemptInfo {
  return { attempt: number, startedAt: createdAt + number * 1_000, finished: false, successful: false, finishedAt: null, ...outcome };
}

function task(attempts: AttemptInfo[], overrides: Partial<TaskInfo> = {}): TaskInfo {
  return {
    flow: 'RetryFlow',
    runId: '7',
    step: 'train',
    id: '3',
    pathspec: 'RetryFlow/7/train/3',
    createdAt,
    finished: false,
    successful: false,
    finishedAt: null,
    currentAttempt: attempts.length - 1,
    attempts,
    foreachIndex: null,
    lastActivityAt: options.now - 1_000,
    ...overrides,
  };
}

const failedFirst = attempt(0, { finishedAt: createdAt + 5_000 });

describe('toTaskRow', () => {
  it('shows a running retry as running', () => {
    const row = toTaskRow(task([failedFirst, attempt(1)], { finishedAt: createdAt + 5_000 }), false, options);
    expect(row.status).toBe('running');
    expect(row.attempt).toBe(1);
  });

  it('shows a successful retry as succeeded', () => {
    const retry = attempt(1, { finished: true, successful: true, finishedAt: createdAt + 9_000 });
    const row = toTaskRow(task([failedFirst, retry], { finished: true, successful: true, finishedAt: createdAt + 9_000 }), false, options);
    expect(row.status).toBe('succeeded');
    expect(row.durationSeconds).toBe(9);
  });

  it('shows an ended attempt without success as failed', () => {
    expect(toTaskRow(task([failedFirst], { finishedAt: createdAt + 5_000 }), false, options).status).toBe('failed');
  });

  it('shows a caught failure as failed', () => {
    const caught = attempt(0, { finished: true, successful: false, finishedAt: createdAt + 4_000 });
    expect(toTaskRow(task([caught], { finished: true, finishedAt: createdAt + 4_000 }), false, options).status).toBe('failed');
  });

  it('trusts _task_ok without attempt verdict', () => {
    const row = toTaskRow(task([attempt(0)], { finished: true, successful: true, finishedAt: createdAt + 3_000 }), false, options);
    expect(row.status).toBe('succeeded');
    expect(row.durationSeconds).toBe(3);
  });

  it('trusts the run for a died attempt', () => {
    const row = toTaskRow(task([attempt(0)], { lastActivityAt: createdAt + 2_000 }), true, options);
    expect(row.status).toBe('failed');
    expect(row.durationSeconds).toBe(2);
  });

  it('times a running task until now', () => {
    expect(toTaskRow(task([attempt(0)]), false, options).durationSeconds).toBe(600);
  });

  it('shows a silent task as no activity', () => {
    const row = toTaskRow(task([attempt(0)], { lastActivityAt: createdAt + 3_000 }), false, options);
    expect(row.status).toBe('no activity');
    expect(row.durationSeconds).toBe(3);
  });
});
