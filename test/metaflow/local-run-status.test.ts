import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { RunStatus, StatusOptions } from '../../src/metaflow/reader.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { copyFixtureRuns, type DatastoreCopy } from './datastore-copy.ts';
import { loadOracle, type OracleRun } from './oracle.ts';

const oracle = loadOracle();
const reader = new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger });

const minute = 60_000;
/** The last record of the killed SleepyFlow run: the `attempt` metadata of `nap/2`. */
const sleepyLastActivity = 1796413173781;
/** Late enough that every fixture run is long over. */
const muchLater: StatusOptions = { staleAfterMs: 10 * minute, now: sleepyLastActivity + 24 * 60 * minute };

function oracleRun(flow: string, runId: string): OracleRun {
  const run = oracle.flows[flow]?.runs[runId];
  if (!run) {
    throw new Error(`${flow}/${runId} is not in the oracle.`);
  }
  return run;
}

function failingPathspecs(status: RunStatus): string[] {
  return status.failures.map((failure) => failure.task.pathspec);
}

describe('status of HelloFlow runs', () => {
  const failedRuns = ['1796413131842466', '1796413107174438', '1796413119215303'];

  it.each(Object.keys(oracle.flows['HelloFlow']?.runs ?? {}))('run %s', async (runId) => {
    const status = await reader.getRunStatus('HelloFlow', runId, muchLater);
    expect(status.state).toBe(failedRuns.includes(runId) ? 'failed' : 'succeeded');
    expect(status.tasksRunning).toBe(0);
    expect(status.stepsTotal).toBe(3);
  });

  it.each(failedRuns)('names failing task of %s', async (runId) => {
    const status = await reader.getRunStatus('HelloFlow', runId, muchLater);
    const failing = oracleRun('HelloFlow', runId).steps.flatMap((step) => step.tasks).filter((task) => !task.finished);
    expect(failingPathspecs(status)).toEqual(failing.map((task) => task.pathspec));
    expect(status.failures[0]?.exception).toBe(failing[0]?.exception_str);
    expect(status.tasksFailed).toBe(1);
  });

  it('counts done steps of failed run', async () => {
    const status = await reader.getRunStatus('HelloFlow', '1796413107174438', muchLater);
    expect(status.stepsDone).toBe(1);
    expect(status.tasksTotal).toBe(2);
  });

  it('measures duration of succeeded run', async () => {
    const run = oracleRun('HelloFlow', '1796413130413220');
    const status = await reader.getRunStatus('HelloFlow', '1796413130413220', muchLater);
    expect(status.durationMs).toBe((run.finished_at_epoch_ms ?? 0) - run.created_at_epoch_ms);
    expect(status.stepsDone).toBe(3);
  });
});

describe('status of CatchFlow runs', () => {
  it('succeeds when catch handled step failure', async () => {
    const status = await reader.getRunStatus('CatchFlow', '1796413161197525', muchLater);
    expect(status.state).toBe('succeeded');
    expect(status.failures).toEqual([]);
    expect(status.tasksFailed).toBe(0);
  });

  it('fails when catch handled end failure', async () => {
    const status = await reader.getRunStatus('CatchFlow', '1796413162761232', muchLater);
    const endError = oracleRun('CatchFlow', '1796413162761232').steps[0]?.tasks[0]?.artifacts.find((artifact) => artifact.name === 'end_error');
    expect(status.state).toBe('failed');
    expect(failingPathspecs(status)).toEqual(['CatchFlow/1796413162761232/end/3']);
    expect(status.failures[0]?.exception).toBe(endError?.repr);
    expect(status.stepsDone).toBe(3);
  });
});

describe('status of FailFlow run', () => {
  it('fails on the failed foreach task', async () => {
    const status = await reader.getRunStatus('FailFlow', '1796413159306796', muchLater);
    const failedTask = oracleRun('FailFlow', '1796413159306796').steps.flatMap((step) => step.tasks).find((task) => !task.finished);
    expect(status.state).toBe('failed');
    expect(failingPathspecs(status)).toEqual(['FailFlow/1796413159306796/process/4']);
    expect(status.failures[0]?.exception).toBe(failedTask?.exception_str);
    expect(status.failures[0]?.task.foreachIndex).toBe(2);
    expect(status.tasksFailed).toBe(1);
    expect(status.tasksTotal).toBe(4);
    expect(status.stepsDone).toBe(1);
    expect(status.stepsTotal).toBe(4);
  });
});

describe('status of ForeachFlow runs', () => {
  it.each(['1796413132892874', '1796413140195970'])('run %s succeeded', async (runId) => {
    const status = await reader.getRunStatus('ForeachFlow', runId, muchLater);
    expect(status.state).toBe('succeeded');
    expect(status.tasksTotal).toBe(28);
    expect(status.stepsDone).toBe(4);
    expect(status.stepsTotal).toBe(4);
  });
});

describe('status of killed SleepyFlow run', () => {
  const runId = '1796413172895082';

  it('is running shortly after last activity', async () => {
    const status = await reader.getRunStatus('SleepyFlow', runId, { staleAfterMs: 10 * minute, now: sleepyLastActivity + minute });
    expect(status.state).toBe('running');
    expect(status.tasksRunning).toBe(1);
    expect(status.durationMs).toBe(sleepyLastActivity + minute - oracleRun('SleepyFlow', runId).created_at_epoch_ms);
  });

  it('is stale long after last activity', async () => {
    const status = await reader.getRunStatus('SleepyFlow', runId, muchLater);
    expect(status.state).toBe('stale');
    expect(status.failures).toEqual([]);
    expect(status.durationMs).toBe(sleepyLastActivity - oracleRun('SleepyFlow', runId).created_at_epoch_ms);
  });

  it('reports last activity of nap task', async () => {
    const status = await reader.getRunStatus('SleepyFlow', runId, muchLater);
    expect(status.lastActivityAt).toBe(sleepyLastActivity);
    expect(status.stepsDone).toBe(1);
    expect(status.stepsTotal).toBe(3);
  });

  it('stays stale just past the limit', async () => {
    const status = await reader.getRunStatus('SleepyFlow', runId, { staleAfterMs: 10 * minute, now: sleepyLastActivity + 10 * minute + 1 });
    expect(status.state).toBe('stale');
  });
});

describe('status from scheduler record', () => {
  let copy: DatastoreCopy | undefined;

  afterEach(() => {
    copy?.remove();
    copy = undefined;
  });

  it('fails task whose process exited without result', async () => {
    copy = copyFixtureRuns('SleepyFlow', ['1796413172895082']);
    writeFileSync(path.join(copy.datastore, 'SleepyFlow', '1796413172895082', 'nap', '2', '0.runtime'), '{"return_code": -9, "killed": true, "success": false}');
    const copyReader = new LocalDatastoreReader({ root: copy.root, logger: silentLogger });

    const status = await copyReader.getRunStatus('SleepyFlow', '1796413172895082', { staleAfterMs: 10 * minute, now: sleepyLastActivity + minute });
    expect(status.state).toBe('failed');
    expect(failingPathspecs(status)).toEqual(['SleepyFlow/1796413172895082/nap/2']);
    expect(status.failures[0]?.exception).toBeNull();
    expect(status.tasksRunning).toBe(0);
  });

  it('keeps end task running until its records are written', async () => {
    copy = copyFixtureRuns('HelloFlow', ['1796413130413220']);
    const endTask = path.join(copy.datastore, 'HelloFlow', '1796413130413220', 'end', '3');
    for (const name of readdirSync(path.join(endTask, '_meta')).filter((file) => file.startsWith('0_artifact_'))) {
      rmSync(path.join(endTask, '_meta', name));
    }
    rmSync(path.join(endTask, '0.runtime'));
    const copyReader = new LocalDatastoreReader({ root: copy.root, logger: silentLogger });

    // One minute after the run's last recorded activity (2026-12-04 19:38:51 UTC).
    const now = Date.UTC(2026, 11, 4, 19, 39, 51);
    const status = await copyReader.getRunStatus('HelloFlow', '1796413130413220', { staleAfterMs: 10 * minute, now });
    expect(status.state).toBe('running');
    expect(status.run.finished).toBe(false);
    expect(status.tasksRunning).toBe(1);
    expect(status.failures).toEqual([]);
  });
});
