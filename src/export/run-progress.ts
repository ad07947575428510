import type { MetaflowReader, RunInfo, RunState, RunStatus, StatusOptions } from '../metaflow/reader.ts';

/** A run's state as an export row shows it: the state, the last activity and the duration. */
export interface RunProgress {
  run: RunInfo;
  state: RunState;
  /** Epoch ms of the newest activity; `null` for a run that had finished when it was listed. */
  lastActivityAt: number | null;
  /** To the end; to now while running; to the last activity for a stale run. */
  durationMs: number;
}

/**
 * Reads how far a run got. A finished run never changes and its state follows from
 * `successful`, so only an unfinished run needs `getRunStatus`, which reads every task of the
 * run. On the local datastore that call is most of an export's time (`bench/export.ts`).
 */
export async function readRunProgress(reader: MetaflowReader, run: RunInfo, options: StatusOptions): Promise<RunProgress> {
  if (run.finished && run.finishedAt !== null) {
    return {
      run,
      state: run.successful ? 'succeeded' : 'failed',
      lastActivityAt: null,
      durationMs: run.finishedAt - run.createdAt,
    };
  }
  return progressFromStatus(await reader.getRunStatus(run.flow, run.id, options));
}

/** Builds the progress of a run from its full status, with the duration the bot shows. */
export function progressFromStatus(status: RunStatus): RunProgress {
  const durationMs = status.state === 'stale' ? status.lastActivityAt - status.run.createdAt : status.durationMs;
  return { run: status.run, state: status.state, lastActivityAt: status.lastActivityAt, durationMs };
}
