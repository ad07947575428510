import { optionalBoolean, optionalInteger, optionalString, requireString, type ApiArgs } from './api-args.ts';
import { takeCursorPage } from './cursor-page.ts';
import { compareTs } from './id-source.ts';
import type { MethodContext, MethodResult, MethodTable } from './method-spec.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { SlackMessage } from './slack-store.ts';
import { toWireMessage } from './wire-message.ts';

/**
 * Default and largest `limit` of `conversations.replies` and `conversations.history`
 * for internal apps, from Slack's method reference. Since May 2025 Slack lowers both
 * to 15 for apps distributed outside its Marketplace; this server does not.
 */
const repliesLimit = { fallback: 1000, max: 1000 };
const historyLimit = { fallback: 100, max: 999 };

/** `conversations.replies` and `conversations.history`, both cursor-paginated. */
export function conversationMethods(context: MethodContext): MethodTable {
  return {
    'conversations.replies': { token: 'bot', handle: (args) => listReplies(context, args) },
    'conversations.history': { token: 'bot', handle: (args) => listHistory(context, args) },
  };
}

/** Returns a thread oldest first, parent included. A reply's `ts` names its whole thread. */
function listReplies(context: MethodContext, args: ApiArgs): MethodResult {
  const channel = requireString(args, 'channel', 'channel_not_found');
  const ts = requireString(args, 'ts', 'thread_not_found');
  const message = context.store.findMessage(channel, ts);
  if (!message) {
    throw new SlackApiError('thread_not_found');
  }

  const parentTs = message.thread_ts ?? message.ts;
  const thread = context.store.threadMessages({ channel, ts: parentTs });
  return buildPage(context, args, filterByTime(thread, args), repliesLimit);
}

/** Returns the channel's top-level messages newest first; replies stay in their threads. */
function listHistory(context: MethodContext, args: ApiArgs): MethodResult {
  const channel = requireString(args, 'channel', 'channel_not_found');
  const topLevel = context.store
    .channelMessages(channel)
    .filter((message) => message.thread_ts === undefined || message.thread_ts === message.ts)
    .reverse();
  return buildPage(context, args, filterByTime(topLevel, args), historyLimit);
}

function buildPage(
  context: MethodContext,
  args: ApiArgs,
  messages: SlackMessage[],
  limits: { fallback: number; max: number },
): MethodResult {
  const requested = optionalInteger(args, 'limit', limits.fallback);
  const limit = requested < 1 ? limits.fallback : Math.min(requested, limits.max);
  const page = takeCursorPage(messages, limit, optionalString(args, 'cursor'));
  const includeMetadata = optionalBoolean(args, 'include_all_metadata', false);

  const result: MethodResult = {
    messages: page.items.map((message) => toWireMessage(message, context.store, { includeMetadata })),
    has_more: page.nextCursor !== undefined,
  };
  if (page.nextCursor !== undefined) {
    result['response_metadata'] = { next_cursor: page.nextCursor };
  }
  return result;
}

/** Applies `oldest`, `latest` and `inclusive`: the window is open unless `inclusive` is true. */
function filterByTime(messages: SlackMessage[], args: ApiArgs): SlackMessage[] {
  const oldest = optionalString(args, 'oldest');
  const latest = optionalString(args, 'latest');
  const inclusive = optionalBoolean(args, 'inclusive', false);

  return messages.filter((message) => {
    const afterOldest = oldest === undefined || isAfter(message.ts, oldest, inclusive);
    const beforeLatest = latest === undefined || isAfter(latest, message.ts, inclusive);
    return afterOldest && beforeLatest;
  });
}

function isAfter(ts: string, bound: string, inclusive: boolean): boolean {
  const order = compareTs(ts, bound);
  return inclusive ? order >= 0 : order > 0;
}
