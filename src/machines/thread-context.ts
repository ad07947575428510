import type { LookupRequest, RunCandidate, SelectedRun } from './thread-events.ts';

/** Most runs a numbered list offers; `2` picks from the list. */
export const maxCandidates = 10;

/** What a thread remembers between messages. It is persisted in Slack, so it stays small. */
export interface ThreadContext {
  /** The run the thread inspects, `null` until one is set. */
  run: SelectedRun | null;
  /** The runs of the last numbered list, at most `maxCandidates`. */
  candidates: RunCandidate[];
  /** The lookup in progress, `null` when none is. */
  pending: LookupRequest | null;
  /** The Metaflow profile the thread reads, `null` for the bot's default profile. */
  profile: string | null;
}

export function createInitialContext(): ThreadContext {
  return { run: null, candidates: [], pending: null, profile: null };
}
