import { describe, expect, it } from 'vitest';
import { progressFromStatus } from '../../src/export/run-progress.ts';
import { toRunRow } from '../../src/export/run-row.ts';
import type { ParameterInfo, RunStatus } from '../../src/metaflow/reader.ts';

const createdAt = Date.parse('2026-12-04T10:00:00.000Z');

function status(overrides: Partial<RunStatus> = {}): RunStatus {
  return {
    run: {
      flow: 'HelloFlow',
      id: '12',
      pathspec: 'HelloFlow/12',
      user: null,
      userTags: [],
      systemTags: [],
      createdAt,
      finished: false,
      successful: false,
      finishedAt: null,
      endStep: 'end',
    },
    state: 'running',
    lastActivityAt: createdAt + 4_000,
    stepsDone: 0,
    stepsTotal: 3,
    tasksRunning: 1,
    tasksFailed: 0,
    tasksTotal: 1,
    failures: [],
    durationMs: 90_500,
    ...overrides,
  };
}

function parameter(name: string, json: unknown, repr: string): ParameterInfo {
  return { name, json, repr, type: 'float' };
}

describe('toRunRow', () => {
  it('times a stale run to its last activity', () => {
    const row = toRunRow(progressFromStatus(status({ state: 'stale' })), []);
    expect(row.status).toBe('no activity');
    expect(row.durationSeconds).toBe(4);
  });

  it('times a running run to now', () => {
    expect(toRunRow(progressFromStatus(status()), []).durationSeconds).toBe(90.5);
  });

  it.each([
    [Number.NaN, 'nan'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [[1, Number.NEGATIVE_INFINITY], '[1, -inf]'],
    [{ rate: Number.NaN }, "{'rate': nan}"],
  ])('writes the repr of %j', (json, repr) => {
    expect(toRunRow(progressFromStatus(status()), [parameter('x', json, repr)]).parameters['x']).toBe(repr);
  });

  it('keeps a nested JSON value', () => {
    const config = { layers: [64, 32], name: 'é' };
    expect(toRunRow(progressFromStatus(status()), [parameter('config', config, 'repr')]).parameters['config']).toEqual(config);
  });
});
