import type { RunInfo, RunState } from './reader.ts';

/**
 * Decides the state shown for a run, the same way for every backend: a finished run by
 * its end task, an unfinished one failed as soon as a task failed for good, else stale when
 * silent for longer than `staleAfterMs` (never "running"), else running. The duration runs to
 * the end time, to `now` while running, and to the last activity otherwise.
 */
export function judgeRun(
  run: RunInfo,
  anyTaskFailedForGood: boolean,
  lastActivityAt: number,
  options: { now: number; staleAfterMs: number },
): { state: RunState; durationMs: number } {
  const state = decideState(run, anyTaskFailedForGood, lastActivityAt, options);

  let endedAt = lastActivityAt;
  if (run.finished) {
    endedAt = run.finishedAt ?? lastActivityAt;
  } else if (state === 'running') {
    endedAt = options.now;
  }
  return { state, durationMs: Math.max(0, endedAt - run.createdAt) };
}

function decideState(run: RunInfo, anyTaskFailed: boolean, lastActivityAt: number, options: { now: number; staleAfterMs: number }): RunState {
  if (run.finished) {
    return run.successful ? 'succeeded' : 'failed';
  }
  if (anyTaskFailed) {
    return 'failed';
  }
  return options.now - lastActivityAt > options.staleAfterMs ? 'stale' : 'running';
}
