import type { RunInfo, RunStatus } from '../metaflow/reader.ts';
import { formatDuration, formatTimestamp } from '../text/format-time.ts';
import { escapeSlackText } from '../text/slack-escape.ts';

/** Describes the run's state in a few words: `succeeded`, `failed`, `running`, `no activity since …`. */
export function describeState(status: RunStatus): string {
  switch (status.state) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'running':
      return 'running';
    case 'stale':
      return `no activity since ${formatTimestamp(status.lastActivityAt)}`;
    default:
      return status.state satisfies never;
  }
}

/** Returns an emoji that lets a reader of the thread see the state at a glance. */
export function stateEmoji(status: RunStatus): string {
  const emoji = { succeeded: ':white_check_mark:', failed: ':x:', running: ':hourglass_flowing_sand:', stale: ':zzz:' };
  return emoji[status.state];
}

/** `started 2026-12-04 19:38:51 UTC, ran 4m 05s` (or `running for …` while it has not ended). */
export function describeTiming(status: RunStatus): string {
  const started = `started ${formatTimestamp(status.run.createdAt)}`;
  if (status.state === 'running') {
    return `${started}, running for ${formatDuration(status.durationMs)}`;
  }
  if (status.state === 'stale') {
    return `${started}, last activity ${formatDuration(status.lastActivityAt - status.run.createdAt)} later`;
  }
  return `${started}, ran ${formatDuration(status.durationMs)}`;
}

/** Describes the timing as a sentence: `Started 2026-12-04 19:38:51 UTC, ran 4m 05s.` */
export function timingSentence(status: RunStatus): string {
  const timing = describeTiming(status);
  return `${timing.charAt(0).toUpperCase()}${timing.slice(1)}.`;
}

/** Describes the run's owner for a sentence: `by alice`, or nothing when no user is recorded. */
export function describeOwner(run: RunInfo): string {
  return run.user ? ` by ${escapeSlackText(run.user)}` : '';
}
