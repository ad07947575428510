import type { Logger } from '../logger.ts';
import type { LookupEvent } from '../machines/thread-events.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import type { ProfileDirectory, ThreadAudience } from '../conversation/profile-directory.ts';
import type { BotMessage } from './bot-message.ts';

/** What the lookups read from and how they judge time. */
export interface LookupContext {
  reader: MetaflowReader;
  /** Current time in epoch milliseconds; a parameter so that tests can fix it. */
  now: () => number;
  /** An unfinished run silent for longer than this is shown as "no activity since …". */
  staleAfterMs: number;
  logger: Logger;
  /** Where the data comes from, named in replies when the bot knows more than one source. */
  sourceLabel: string | null;
  /** The bot's version, written into exports. */
  botVersion: string;
  /** The profiles the bot serves; `null` when it reads one datastore given directly. */
  profiles: ProfileDirectory | null;
  /** The profile `reader` belongs to, when `profiles` is set. */
  profile: string | null;
  /** Who the thread talks to, for access rules; `null` in the terminal chat, which has none. */
  audience: ThreadAudience | null;
}

/** A lookup's reply for the thread and the event that tells the machine how it ended. */
export interface LookupResult {
  reply: BotMessage;
  event: LookupEvent;
}

/** The result of a lookup that answered and changed nothing in the thread. */
export function answered(reply: BotMessage, runFinished: boolean | null = null): LookupResult {
  return { reply, event: { type: 'lookup.answered', runFinished } };
}
