import {
  buildAppMentionEvent,
  buildEventCallback,
  buildMessageEvent,
  inferChannelType,
  type ChannelType,
} from './event-callbacks.ts';
import type { IdSource } from './id-source.ts';
import type { SlackIdentity } from './slack-identity.ts';
import type { MessageMetadata, SlackMessage, SlackStore } from './slack-store.ts';

/** A message that a simulated person posts. */
export interface UserMessageInput {
  channel: string;
  /** User id of the author, such as `U0ALICE001`; unknown ids are added as workspace members. */
  user: string;
  text: string;
  /** Posts into this thread; a reply's `ts` is taken as its thread. */
  threadTs?: string;
  /** Defaults to the type the channel id suggests: `D…` is `im`. */
  channelType?: ChannelType;
  /** Puts `<@bot user id> ` in front of `text`. */
  mention?: boolean;
}

/** A message that another app's bot posts, for tests of what the bot must ignore. */
export interface ForeignBotMessageInput {
  channel: string;
  text: string;
  threadTs?: string;
  metadata?: MessageMetadata;
  blocks?: unknown[];
  /** Defaults to `B0OTHER001`. */
  botId?: string;
  /** Defaults to `A0OTHER001`. */
  appId?: string;
  /** Defaults to `U0OTHER001`. */
  botUserId?: string;
  /** Whether to deliver the `message` event to the bot; defaults to true. */
  deliverEvent?: boolean;
}

/** A message stored as given, with no event; `ts` is generated when absent. */
export type RawMessageInput = Partial<Omit<SlackMessage, 'channel'>> & { channel: string };

/** The ids of a posted message and of the event that announces it. */
export interface PostedMessage {
  ts: string;
  /** Undefined when no event was delivered. */
  eventId?: string;
}

/** What the simulation needs from the server. */
export interface SimulationContext {
  store: SlackStore;
  ids: IdSource;
  identity: SlackIdentity;
  /** Hands an `event_callback` body to Socket Mode or HTTP delivery. */
  deliver(eventId: string, body: Record<string, unknown>): void;
}

/**
 * Stores a person's message and delivers its event: `app_mention` when the text
 * mentions the bot outside a direct message, else `message` with its `channel_type`.
 */
export function postUserMessage(context: SimulationContext, input: UserMessageInput): { ts: string; eventId: string } {
  const { identity, store } = context;
  addMemberIfUnknown(store, input.user);

  const text = input.mention ? `<@${identity.botUserId}> ${input.text}` : input.text;
  const threadTs = findThreadTs(store, input.channel, input.threadTs);
  const message: SlackMessage = {
    type: 'message',
    channel: input.channel,
    ts: context.ids.nextTs(),
    text,
    user: input.user,
    team: identity.teamId,
    ...(threadTs !== undefined && { thread_ts: threadTs }),
  };
  store.addMessage(message);

  const channelType = input.channelType ?? inferChannelType(input.channel);
  const mentionsBot = channelType !== 'im' && text.includes(`<@${identity.botUserId}>`);
  const event = mentionsBot
    ? buildAppMentionEvent(message)
    : buildMessageEvent(message, channelType, parentAuthor(store, message));
  return { ts: message.ts, eventId: deliverEvent(context, event) };
}

/** Stores another app's bot message, with metadata if given, and by default delivers its `message` event. */
export function postForeignBotMessage(context: SimulationContext, input: ForeignBotMessageInput): PostedMessage {
  const threadTs = findThreadTs(context.store, input.channel, input.threadTs);
  const message: SlackMessage = {
    type: 'message',
    channel: input.channel,
    ts: context.ids.nextTs(),
    text: input.text,
    user: input.botUserId ?? 'U0OTHER001',
    bot_id: input.botId ?? 'B0OTHER001',
    app_id: input.appId ?? 'A0OTHER001',
    team: context.identity.teamId,
    ...(threadTs !== undefined && { thread_ts: threadTs }),
    ...(input.metadata !== undefined && { metadata: input.metadata }),
    ...(input.blocks !== undefined && { blocks: input.blocks }),
  };
  context.store.addMessage(message);

  if (input.deliverEvent === false) {
    return { ts: message.ts };
  }
  const event = buildMessageEvent(message, inferChannelType(input.channel), parentAuthor(context.store, message));
  return { ts: message.ts, eventId: deliverEvent(context, event) };
}

/** Stores a message exactly as given, such as one with tampered metadata; delivers nothing. */
export function insertRawMessage(context: SimulationContext, input: RawMessageInput): SlackMessage {
  const message: SlackMessage = { text: '', ...input, type: 'message', ts: input.ts ?? context.ids.nextTs() };
  context.store.addMessage(message);
  return message;
}

/** Delivers the `message` event that Slack sends for the bot's own message; Bolt's `ignoreSelf` drops it. */
export function echoBotMessage(context: SimulationContext, message: SlackMessage): string {
  const event = buildMessageEvent(message, inferChannelType(message.channel), parentAuthor(context.store, message));
  return deliverEvent(context, event);
}

function deliverEvent(context: SimulationContext, event: Record<string, unknown>): string {
  const eventId = context.ids.nextEventId();
  context.deliver(eventId, buildEventCallback(context.identity, eventId, event));
  return eventId;
}

function addMemberIfUnknown(store: SlackStore, user: string): void {
  if (!store.findUser(user)) {
    store.saveUser({ id: user, name: user.toLowerCase(), realName: `Test user ${user}`, isBot: false, tz: 'UTC' });
  }
}

/** Returns the thread parent's `ts`; a thread that does not exist is a mistake in the test, so it throws. */
function findThreadTs(store: SlackStore, channel: string, threadTs: string | undefined): string | undefined {
  if (threadTs === undefined) {
    return undefined;
  }
  const parent = store.findMessage(channel, threadTs);
  if (!parent) {
    throw new Error(`No message with ts ${threadTs} in channel ${channel}; post the thread parent first.`);
  }
  return parent.thread_ts ?? parent.ts;
}

function parentAuthor(store: SlackStore, message: SlackMessage): string | undefined {
  if (message.thread_ts === undefined || message.thread_ts === message.ts) {
    return undefined;
  }
  return store.findMessage(message.channel, message.thread_ts)?.user;
}
