import type { SlackMessage, SlackStore } from './slack-store.ts';

/** How a message is shown in a Web API response. */
export interface WireMessageOptions {
  /** Keep `metadata`: Slack returns it from the history methods only with `include_all_metadata=true`. */
  includeMetadata: boolean;
}

/**
 * Turns a stored message into the object the Web API returns: without the `channel`
 * field, with `metadata` only when asked for, and with `reply_count`, `reply_users`,
 * `reply_users_count` and `latest_reply` on a thread parent.
 */
export function toWireMessage(message: SlackMessage, store: SlackStore, options: WireMessageOptions): Record<string, unknown> {
  const { channel, metadata, ...fields } = message;
  const wire: Record<string, unknown> = { ...fields };
  if (options.includeMetadata && metadata) {
    wire['metadata'] = metadata;
  }

  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const replies = isReply ? [] : store.threadMessages({ channel, ts: message.ts }).filter((reply) => reply.ts !== message.ts);
  if (replies.length > 0) {
    const replyUsers = [...new Set(replies.map((reply) => reply.user ?? reply.bot_id ?? ''))];
    wire['thread_ts'] = message.ts;
    wire['reply_count'] = replies.length;
    wire['reply_users'] = replyUsers;
    wire['reply_users_count'] = replyUsers.length;
    wire['latest_reply'] = replies.at(-1)?.ts;
  }
  return wire;
}
