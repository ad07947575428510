import type { BotIdentity } from './bot-identity.ts';

/** A person's message that the bot answers, read from an `app_mention` or `message` event. */
export interface IncomingMessage {
  eventId: string;
  channel: string;
  /** The thread the replies go to: the event's `thread_ts`, else its own `ts`. */
  threadTs: string;
  ts: string;
  user: string;
  text: string;
  /** A message in a direct conversation with the bot (`channel_type` `im`). */
  isDirectMessage: boolean;
  /** The message has no `thread_ts`, so it opens a new thread and nothing is stored for it yet. */
  startsThread: boolean;
  /**
   * Neither a mention of the bot nor a direct message: a reply in a channel thread, answered only
   * when the bot takes part in that thread.
   */
  needsKnownThread: boolean;
}

/** What to do with an event: answer the message in it, or ignore it for the reason given. */
export type EventDecision = { kind: 'answer'; message: IncomingMessage } | { kind: 'ignore'; reason: string };

/**
 * Message subtypes that a person posts and the bot reads like a plain message: a thread reply also
 * sent to the channel, and a message with a file. Other subtypes are edits, deletions, joins and
 * bot messages.
 */
const answeredSubtypes = new Set(['thread_broadcast', 'file_share']);

/**
 * Decides whether the bot answers an event, and reads the message from it. The bot answers
 * mentions, direct messages and replies in channel threads; it ignores bots (itself included),
 * edits and other subtypes, and channel messages outside a thread that do not mention it.
 */
export function readIncomingMessage(event: object, eventId: string, identity: BotIdentity): EventDecision {
  const fields = event as Readonly<Record<string, unknown>>;
  const type = fields['type'];
  if (type !== 'app_mention' && type !== 'message') {
    return ignore(`event type ${String(type)}`);
  }
  const subtype = fields['subtype'];
  if (typeof subtype === 'string' && !answeredSubtypes.has(subtype)) {
    return ignore(`message subtype ${subtype}`);
  }
  if (fields['bot_id'] !== undefined || fields['bot_profile'] !== undefined) {
    return ignore('posted by a bot');
  }

  const channel = stringField(fields, 'channel');
  const ts = stringField(fields, 'ts');
  const user = stringField(fields, 'user');
  if (channel === undefined || ts === undefined || user === undefined) {
    return ignore('no channel, ts or user');
  }
  if (user === identity.userId) {
    return ignore('posted by this bot');
  }

  const text = stringField(fields, 'text') ?? '';
  const threadTs = stringField(fields, 'thread_ts');
  const isDirectMessage = type === 'message' && fields['channel_type'] === 'im';
  const mentionsBot = type === 'app_mention' || text.includes(`<@${identity.userId}`);
  const inThread = threadTs !== undefined && threadTs !== ts;
  if (!isDirectMessage && !mentionsBot && !inThread) {
    return ignore('a channel message outside a thread that does not mention the bot');
  }

  return {
    kind: 'answer',
    message: {
      eventId,
      channel,
      threadTs: threadTs ?? ts,
      ts,
      user,
      text,
      isDirectMessage,
      startsThread: threadTs === undefined,
      needsKnownThread: !isDirectMessage && !mentionsBot,
    },
  };
}

/** Names a thread in log lines and cache keys: `<channel>/<thread ts>`. */
export function threadKey(message: Pick<IncomingMessage, 'channel' | 'threadTs'>): string {
  return `${message.channel}/${message.threadTs}`;
}

function stringField(fields: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function ignore(reason: string): EventDecision {
  return { kind: 'ignore', reason };
}
