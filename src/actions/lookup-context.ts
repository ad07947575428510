import type { Logger } from '../logger.ts';
import type { LookupEvent } from '../machines/thread-events.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import type { ProfileDirectory, ThreadAudience } from '../conversation/profile-directory.ts';
import type { BotMessage } from './bot-message.ts';

/** Dependencies of the lookups: the reader, the clock and the limits they judge runs by. */
export interface LookupContext {
  reader: MetaflowReader;
  /** Current time in epoch milliseconds; a parameter so that tests can fix it. */
  now: () => number;
  /** An unfinished run silent for longer than this is shown as "no activity since …". */
  staleAfterMs: number;
  logger: Logger;
  /** Label of the data source, named in replies when the bot serves more than one. */
  sourceLabel: string | null;
  /** The bot's version, written into exports. */
  botVersion: string;
  /** The profiles the bot serves; `null` when it reads one datastore given directly. */
  profiles: ProfileDirectory | null;
  /** The profile `reader` belongs to, when `profiles` is set. */
  profile: string | null;
  /** Audience of the thread for access rules; `null` in the terminal chat, which has none. */
  audience: ThreadAudience | null;
}

/** A lookup's reply for the thread, and the event that reports to the machine how it ended. */
export interface LookupResult {
  reply: BotMessage;
  event: LookupEvent;
}

/** Builds the result of a lookup that replied and changed nothing in the thread. */
export function answered(reply: BotMessage, runFinished: boolean | null = null): LookupResult {
  return { reply, event: { type: 'lookup.answered', runFinished } };
}
