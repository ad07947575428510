import { optionalString, requireString, type ApiArgs } from './api-args.ts';
import { readMessageContent } from './message-content.ts';
import type { MethodContext, MethodResult, MethodTable } from './method-spec.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { SlackMessage } from './slack-store.ts';
import { toWireMessage } from './wire-message.ts';

/** `chat.postMessage` and `chat.update`, both acting as the bot. */
export function chatMethods(context: MethodContext): MethodTable {
  return {
    'chat.postMessage': { token: 'bot', handle: (args) => postMessage(context, args) },
    'chat.update': { token: 'bot', handle: (args) => updateMessage(context, args) },
  };
}

function postMessage(context: MethodContext, args: ApiArgs): MethodResult {
  const { identity, store } = context;
  const channel = requireString(args, 'channel', 'channel_not_found');
  const content = readMessageContent(args);
  const threadTs = resolveThreadTs(context, channel, optionalString(args, 'thread_ts'));

  const message: SlackMessage = {
    type: 'message',
    channel,
    ts: context.ids.nextTs(),
    text: content.text ?? '',
    user: identity.botUserId,
    bot_id: identity.botId,
    app_id: identity.appId,
    team: identity.teamId,
    ...(threadTs !== undefined && { thread_ts: threadTs }),
    ...(content.blocks !== undefined && { blocks: content.blocks }),
    ...(content.metadata !== undefined && { metadata: content.metadata }),
  };
  store.addMessage(message);
  context.onBotMessage(message);

  return { channel, ts: message.ts, message: toWireMessage(message, store, { includeMetadata: true }) };
}

/**
 * Returns the `ts` of the thread parent. A reply's `ts` is turned into its parent's,
 * because Slack files a reply to a reply under the same thread.
 */
export function resolveThreadTs(context: MethodContext, channel: string, threadTs: string | undefined): string | undefined {
  if (threadTs === undefined || threadTs === '') {
    return undefined;
  }
  const parent = context.store.findMessage(channel, threadTs);
  // NOTE: stricter than Slack may be. Which error Slack gives for a `thread_ts` that
  // names no message is not documented, so this server rejects it to surface the bug.
  if (!parent) {
    throw new SlackApiError('thread_not_found', [`[ERROR] no message with ts ${threadTs} in channel ${channel}`]);
  }
  return parent.thread_ts ?? parent.ts;
}

/** Replaces `text`, `blocks` and `metadata` where given and keeps the rest, as Slack does. */
function updateMessage(context: MethodContext, args: ApiArgs): MethodResult {
  const { identity, store } = context;
  const channel = requireString(args, 'channel', 'channel_not_found');
  const ts = requireString(args, 'ts', 'message_not_found');
  const existing = store.findMessage(channel, ts);
  if (!existing) {
    throw new SlackApiError('message_not_found');
  }
  if (existing.bot_id !== identity.botId) {
    throw new SlackApiError('cant_update_message');
  }

  const content = readMessageContent(args);
  const updated: SlackMessage = {
    ...existing,
    text: content.text ?? existing.text,
    edited: { user: identity.botUserId, ts: context.ids.nextTs() },
  };
  if (content.blocks !== undefined) {
    updated.blocks = content.blocks;
  }
  if (content.metadata !== undefined) {
    updated.metadata = content.metadata;
  }
  store.replaceMessage(updated);

  return { channel, ts, text: updated.text, message: toWireMessage(updated, store, { includeMetadata: true }) };
}
