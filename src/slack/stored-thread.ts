import type { Logger } from '../logger.ts';
import { restoreThread, type PersistedThread, type RestoreFailure, type ThreadSnapshot } from '../machines/thread-snapshot.ts';
import { isOwnMessage, type BotIdentity } from './bot-identity.ts';
import { decodeThreadState, threadStateEventType } from './message-payload.ts';
import type { CallSlack } from './rate-limit-retry.ts';
import { slackErrorCode, type SlackWebClient } from './web-client.ts';

/** A Slack thread: its channel and the `ts` of its parent message. */
export interface ThreadRef {
  channel: string;
  threadTs: string;
}

/** Reason why no snapshot was restored although the thread contains state, or the bot took part in it. */
export type StoredStateProblem = RestoreFailure | 'foreign' | 'missingPayload' | 'missingState';

/** The state found in a thread: none, a restored snapshot, or a reason why it was not used. */
export type StoredOutcome =
  | { kind: 'none' }
  | { kind: 'restored'; snapshot: ThreadSnapshot; persisted: PersistedThread; ts: string; text: string }
  | { kind: 'rejected'; problem: StoredStateProblem; detail: string };

/** Facts about the bot's part in a thread, read from its replies. */
export interface StoredThread {
  /** Whether the bot posted any message in the thread. */
  botIsPresent: boolean;
  /** Highest `revision` among the bot's snapshots, valid or not, or 0; the next snapshot gets a higher one. */
  maxRevision: number;
  outcome: StoredOutcome;
}

/** Dependencies of `loadStoredThread`, and the thread to read. */
export interface LoadStoredThreadOptions {
  client: SlackWebClient;
  callSlack: CallSlack;
  identity: BotIdentity;
  logger: Logger;
  thread: ThreadRef;
  /** Names the thread in log lines. */
  threadId: string;
}

/** Replies read per `conversations.replies` page; Slack returns fewer to some apps and pages on. */
const pageSize = 200;

/** Pages read at most, so that a thread of more than 20,000 replies cannot keep the bot reading. */
const maxPages = 100;

/** One message of the thread, reduced to what choosing a snapshot needs. */
interface ThreadMessage {
  ts: string;
  text: string;
  user?: unknown;
  bot_id?: unknown;
  app_id?: unknown;
  metadata?: unknown;
}

interface Candidate {
  ts: string;
  text: string;
  revision: number;
  payload: unknown;
}

/**
 * Reads a thread with `conversations.replies` (`include_all_metadata`, every page) and restores
 * the newest snapshot that this bot posted: the highest `revision`, then the latest `ts`. Thread
 * state from another app or a person is never used. The chosen snapshot is validated; a problem
 * is returned, not thrown, so that the caller can say so in the thread and start afresh.
 * Throws when Slack fails, except `thread_not_found`, which counts as an empty thread.
 */
export async function loadStoredThread(options: LoadStoredThreadOptions): Promise<StoredThread> {
  const { identity, logger, threadId } = options;
  let botIsPresent = false;
  let maxRevision = 0;
  let newest: Candidate | undefined;
  let foreignCount = 0;

  for await (const message of readThreadMessages(options)) {
    const own = isOwnMessage(message, identity);
    botIsPresent ||= own;
    const state = readStateMetadata(message);
    if (!state) {
      continue;
    }
    if (!own) {
      foreignCount += 1;
      logger.warn('thread state posted by another app or a person was ignored', {
        thread: threadId,
        ts: message.ts,
        botId: describeId(message.bot_id),
        appId: describeId(message.app_id),
        user: describeId(message.user),
      });
      continue;
    }
    const candidate: Candidate = { ts: message.ts, text: message.text, revision: readRevision(state.payload), payload: state.payload };
    maxRevision = Math.max(maxRevision, candidate.revision);
    if (!newest || isNewer(candidate, newest)) {
      newest = candidate;
    }
  }

  return { botIsPresent, maxRevision, outcome: chooseOutcome(newest, { botIsPresent, foreignCount }) };
}

function chooseOutcome(newest: Candidate | undefined, seen: { botIsPresent: boolean; foreignCount: number }): StoredOutcome {
  if (!newest) {
    if (seen.foreignCount > 0) {
      return { kind: 'rejected', problem: 'foreign', detail: `${seen.foreignCount} message(s) from another app or a person carry thread state` };
    }
    if (seen.botIsPresent) {
      return { kind: 'rejected', problem: 'missingState', detail: 'the bot posted in the thread, but none of its messages carries thread state' };
    }
    return { kind: 'none' };
  }
  if (typeof newest.payload !== 'object' || newest.payload === null) {
    return { kind: 'rejected', problem: 'missingPayload', detail: `the thread state at ts ${newest.ts} has no payload` };
  }
  const restored = restoreThread(decodeThreadState(newest.payload));
  if (!restored.ok) {
    return { kind: 'rejected', problem: restored.failure, detail: `the thread state at ts ${newest.ts}: ${restored.message}` };
  }
  return { kind: 'restored', snapshot: restored.snapshot, persisted: restored.persisted, ts: newest.ts, text: newest.text };
}

/** Yields the thread's messages oldest first, page after page. */
async function* readThreadMessages(options: LoadStoredThreadOptions): AsyncGenerator<ThreadMessage> {
  let cursor: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const response = await readPage(options, cursor);
    yield* response.messages;
    cursor = response.nextCursor;
    if (!cursor) {
      return;
    }
  }
  options.logger.warn('thread has more replies than the bot reads; the newest ones were not read', { thread: options.threadId, pages: maxPages });
}

async function readPage(options: LoadStoredThreadOptions, cursor: string | undefined): Promise<{ messages: ThreadMessage[]; nextCursor?: string }> {
  const { client, callSlack, thread, threadId } = options;
  try {
    const response = await callSlack(
      'conversations.replies',
      () =>
        client.conversations.replies({
          channel: thread.channel,
          ts: thread.threadTs,
          include_all_metadata: true,
          limit: pageSize,
          ...(cursor ? { cursor } : {}),
        }),
      { thread: threadId },
    );
    const messages = (response.messages ?? []).flatMap(toThreadMessage);
    const nextCursor = response.response_metadata?.next_cursor;
    return nextCursor ? { messages, nextCursor } : { messages };
  } catch (error) {
    if (slackErrorCode(error) === 'thread_not_found') {
      return { messages: [] };
    }
    throw error;
  }
}

/** Keeps the fields of a listed message that choosing a snapshot reads; one without `ts` is skipped. */
function toThreadMessage(message: object): ThreadMessage[] {
  const fields = message as Readonly<Record<string, unknown>>;
  const ts = fields['ts'];
  if (typeof ts !== 'string') {
    return [];
  }
  const text = typeof fields['text'] === 'string' ? fields['text'] : '';
  return [{ ts, text, user: fields['user'], bot_id: fields['bot_id'], app_id: fields['app_id'], metadata: fields['metadata'] }];
}

/** Returns the message's thread-state metadata (our `event_type`), or undefined for other metadata and none. */
function readStateMetadata(message: ThreadMessage): { payload: unknown } | undefined {
  const metadata = message.metadata;
  if (typeof metadata !== 'object' || metadata === null || !('event_type' in metadata) || metadata.event_type !== threadStateEventType) {
    return undefined;
  }
  return { payload: 'event_payload' in metadata ? metadata.event_payload : undefined };
}

/** Reads a snapshot's revision before it is validated: a safe non-negative integer, else 0. */
function readRevision(payload: unknown): number {
  const revision = typeof payload === 'object' && payload !== null && 'revision' in payload ? payload.revision : undefined;
  return typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0 ? revision : 0;
}

function isNewer(candidate: Candidate, current: Candidate): boolean {
  if (candidate.revision !== current.revision) {
    return candidate.revision > current.revision;
  }
  return compareTs(candidate.ts, current.ts) > 0;
}

/** Compares two Slack timestamps (`seconds.micros`) numerically. */
function compareTs(left: string, right: string): number {
  const [leftSeconds = '0', leftFraction = ''] = left.split('.');
  const [rightSeconds = '0', rightFraction = ''] = right.split('.');
  const bySeconds = Number(leftSeconds) - Number(rightSeconds);
  return bySeconds !== 0 ? bySeconds : Number(leftFraction.padEnd(6, '0')) - Number(rightFraction.padEnd(6, '0'));
}

/** Returns an id field of an untrusted message, cut short, for the log. */
function describeId(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 40) : null;
}
