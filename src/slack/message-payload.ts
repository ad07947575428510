import type { BotMessage } from '../actions/bot-message.ts';
import type { PersistedThread } from '../machines/thread-snapshot.ts';

/** The `event_type` of the message metadata that carries a thread's state. */
export const threadStateEventType = 'metaflowbot_thread_state';

/** The parts of a `chat.postMessage` call that come from the reply and the thread's state. */
export interface SlackMessagePayload {
  text: string;
  blocks: BotMessage['blocks'];
  metadata: { event_type: typeof threadStateEventType; event_payload: PersistedThread };
}

/** Builds the message the bot posts: the reply, with the thread's state as message metadata. */
export function toSlackMessagePayload(message: BotMessage, state: PersistedThread): SlackMessagePayload {
  return {
    text: message.text,
    blocks: message.blocks,
    metadata: { event_type: threadStateEventType, event_payload: state },
  };
}
