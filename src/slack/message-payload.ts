import type { BotMessage } from '../actions/bot-message.ts';
import type { PersistedThread } from '../machines/thread-snapshot.ts';

/** The `event_type` of the message metadata that carries a thread's state. */
export const threadStateEventType = 'metaflowbot_thread_state';

/**
 * The metadata payload that carries a thread's state. Slack's SDK types allow only strings,
 * numbers and booleans at the second level of `event_payload` (`@slack/types`
 * `MessageMetadataEventPayloadObject`), and no `null`, so the state travels as one JSON string,
 * with the version and revision beside it for a quick look.
 */
export interface ThreadStatePayload {
  version: number;
  revision: number;
  /** The `PersistedThread` as JSON text. */
  thread: string;
}

/** The parts of a `chat.postMessage` call that come from the reply and the thread's state. */
export interface SlackMessagePayload {
  text: string;
  blocks: BotMessage['blocks'];
  metadata: { event_type: typeof threadStateEventType; event_payload: ThreadStatePayload };
}

/** Builds the message the bot posts: the reply, with the thread's state as message metadata. */
export function toSlackMessagePayload(message: BotMessage, state: PersistedThread): SlackMessagePayload {
  return {
    text: message.text,
    blocks: message.blocks,
    metadata: { event_type: threadStateEventType, event_payload: encodeThreadState(state) },
  };
}

/** Turns a thread's state into the flat metadata payload Slack stores. */
export function encodeThreadState(state: PersistedThread): ThreadStatePayload {
  return { version: state.version, revision: state.revision ?? 0, thread: JSON.stringify(state) };
}

/**
 * Reads the state back out of a stored payload, unvalidated: the caller checks it against the
 * schema. Returns `undefined` when the payload has no readable `thread` text.
 */
export function decodeThreadState(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !('thread' in payload) || typeof payload.thread !== 'string') {
    return undefined;
  }
  try {
    return JSON.parse(payload.thread) as unknown;
  } catch {
    return undefined;
  }
}
