import type { RunState } from '../metaflow/reader.ts';

/**
 * A run's or task's state in an export: the words the bot shows, without the time that
 * `no activity since …` carries in the thread (rows have `lastActivityAt` for that), so that a
 * spreadsheet can filter on the column.
 */
export type ExportStatus = 'running' | 'succeeded' | 'failed' | 'no activity';

/** Maps the reader's run state to the status written into exports. */
export function exportStatusOf(state: RunState): ExportStatus {
  return state === 'stale' ? 'no activity' : state;
}

/** Formats epoch milliseconds as ISO 8601 in UTC, e.g. `2026-12-04T19:38:51.123Z`. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Formats epoch milliseconds as ISO 8601, keeping `null` for a time that was never recorded. */
export function isoTimeOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : isoTime(epochMs);
}

/** Converts milliseconds to seconds; a negative span (clock skew between hosts) counts as 0. */
export function toSeconds(durationMs: number): number {
  return Math.max(0, durationMs) / 1_000;
}
