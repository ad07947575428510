import type { AttemptInfo } from '../reader.ts';
import type { MetadataRow } from './service-records.ts';

/** State of a task's newest attempt, from its metadata. */
export type AttemptState = 'running' | 'done' | 'failed';

/** What a task's metadata rows say about its attempts. */
export interface TaskAttempts {
  /** The newest attempt that started (the highest `attempt` value), 0 when none is recorded. */
  currentAttempt: number;
  /** Every attempt up to the current one, oldest first. */
  attempts: AttemptInfo[];
  /** `attempt_ok` of the current attempt: `True` is done, `False` failed, none running. */
  state: AttemptState;
  /** Position in the innermost foreach from `foreach-execution-path`, `null` outside a foreach. */
  foreachIndex: number | null;
  /** Epoch ms of the newest metadata row, `null` when there is none. */
  newestRowAt: number | null;
}

/**
 * Reads attempts from task metadata rows as Metaflow (2.19.38) writes them: `attempt` when an
 * attempt starts, `attempt_ok` (`"True"`/`"False"`) and `attempt-done` when it ends, each
 * tagged `attempt_id:N`. A retry writes a newer `attempt` row, so a failed attempt followed by
 * a started one counts as running.
 */
export function readTaskAttempts(rows: readonly MetadataRow[]): TaskAttempts {
  const started = new Map<number, number>();
  const verdicts = new Map<number, { ok: boolean; at: number }>();
  for (const row of rows) {
    if (row.field === 'attempt' && /^\d+$/.test(row.value)) {
      const attempt = Number(row.value);
      started.set(attempt, Math.min(row.createdAt, started.get(attempt) ?? Number.POSITIVE_INFINITY));
    } else if (row.field === 'attempt_ok' && row.attempt !== null) {
      verdicts.set(row.attempt, { ok: row.value === 'True', at: row.createdAt });
    }
  }

  const currentAttempt = Math.max(0, ...started.keys());
  const attempts: AttemptInfo[] = [];
  for (let attempt = 0; attempt <= currentAttempt; attempt += 1) {
    const verdict = verdicts.get(attempt);
    attempts.push({
      attempt,
      startedAt: started.get(attempt) ?? null,
      finished: verdict?.ok ?? false,
      successful: verdict?.ok ?? false,
      finishedAt: verdict?.at ?? null,
    });
  }

  const current = verdicts.get(currentAttempt);
  return {
    currentAttempt,
    attempts,
    state: current === undefined ? 'running' : current.ok ? 'done' : 'failed',
    foreachIndex: readForeachIndex(rows),
    newestRowAt: rows.length === 0 ? null : Math.max(...rows.map((row) => row.createdAt)),
  };
}

/** `foreach-execution-path` is `outer:3,inner:0`, one `step:index` per foreach frame. */
function readForeachIndex(rows: readonly MetadataRow[]): number | null {
  const newest = rows.filter((row) => row.field === 'foreach-execution-path').sort((left, right) => right.createdAt - left.createdAt)[0];
  const index = Number(newest?.value.split(',').at(-1)?.split(':').at(-1));
  return newest !== undefined && Number.isInteger(index) ? index : null;
}
