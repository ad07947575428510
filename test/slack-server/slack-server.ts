import type { Server } from 'node:http';
import type { Logger } from '../../src/logger.ts';
import { buildEventCallback } from './event-callbacks.ts';
import type { FaultSwitches } from './fault-switches.ts';
import type { EventRouter } from './event-router.ts';
import type { ForgedRequestKind, HttpReply } from './http-event-sender.ts';
import type { IdSource } from './id-source.ts';
import {
  insertRawMessage,
  postForeignBotMessage,
  postUserMessage,
  type ForeignBotMessageInput,
  type PostedMessage,
  type RawMessageInput,
  type SimulationContext,
  type UserMessageInput,
} from './simulated-users.ts';
import type { SlackIdentity } from './slack-identity.ts';
import type { EventState, SlackMessage, SlackStore, ThreadRef, UserProfile } from './slack-store.ts';
import type { SocketModeHub } from './socket-mode-hub.ts';
import { waitForChange } from './wait-for-change.ts';

/** Timeout of the waiting helpers unless a call gives another, in milliseconds. */
export const defaultWaitTimeoutMs = 2000;

/** Options of the waiting helpers. */
export interface WaitOptions {
  timeoutMs?: number;
}

/** The parts that `startSlackServer` builds and the server drives. */
export interface SlackServerParts {
  httpServer: Server;
  port: number;
  identity: SlackIdentity;
  store: SlackStore;
  ids: IdSource;
  faults: FaultSwitches;
  hub: SocketModeHub;
  router: EventRouter;
  simulation: SimulationContext;
  logger: Logger;
}

/**
 * A Slack stand-in on 127.0.0.1 that a real Bolt app, WebClient or SocketModeClient
 * talks to: Web API at `apiUrl`, Socket Mode through `apps.connections.open`, or HTTP
 * delivery after `deliverOverHttp`. Tests drive simulated people and read `store`.
 */
export class SlackServer {
  /** Base URL for the WebClient's `slackApiUrl`: `http://127.0.0.1:<port>/api/`. */
  readonly apiUrl: string;
  readonly identity: SlackIdentity;
  /** Messages, files, Web API calls, deliveries and connections, for assertions. */
  readonly store: SlackStore;
  /** Switches for rate limits, failing methods, slow acks, held events and missing pongs. */
  readonly faults: FaultSwitches;
  private readonly simulation: SimulationContext;
  private closed = false;

  constructor(private readonly parts: SlackServerParts) {
    this.apiUrl = `http://127.0.0.1:${parts.port}/api/`;
    this.identity = parts.identity;
    this.store = parts.store;
    this.faults = parts.faults;
    this.simulation = parts.simulation;
  }

  /** Bot token (`xoxb-…`) that the Web API accepts. */
  get botToken(): string {
    return this.identity.botToken;
  }

  /** App-level token (`xapp-…`) that `apps.connections.open` accepts. */
  get appToken(): string {
    return this.identity.appToken;
  }

  /** User id of the bot user, as `auth.test` returns it in `user_id`. */
  get botUserId(): string {
    return this.identity.botUserId;
  }

  /** Bot id, as `auth.test` returns it in `bot_id`. */
  get botId(): string {
    return this.identity.botId;
  }

  /** App id: the `api_app_id` of every event and the `app_id` of the bot's messages. */
  get appId(): string {
    return this.identity.appId;
  }

  /** Workspace id. */
  get teamId(): string {
    return this.identity.teamId;
  }

  /** Number of Socket Mode connections open now. */
  get connectionCount(): number {
    return this.parts.hub.openConnectionCount;
  }

  /** Posts a person's message and delivers its `app_mention` or `message` event to the bot. */
  postUserMessage(input: UserMessageInput): { ts: string; eventId: string } {
    return postUserMessage(this.simulation, input);
  }

  /** Posts another app's bot message, with metadata if given; by default delivers its `message` event. */
  postForeignBotMessage(input: ForeignBotMessageInput): PostedMessage {
    return postForeignBotMessage(this.simulation, input);
  }

  /** Stores a message exactly as given, such as the bot's own message with tampered metadata. No event. */
  insertRawMessage(input: RawMessageInput): SlackMessage {
    return insertRawMessage(this.simulation, input);
  }

  /** Adds a workspace member for `users.info`; people who post are added on their own with `tz: 'UTC'`. */
  addUser(user: Pick<UserProfile, 'id'> & Partial<UserProfile>): void {
    this.store.saveUser({ name: user.id.toLowerCase(), realName: `Test user ${user.id}`, isBot: false, tz: 'UTC', ...user });
  }

  /** Sends events from now on as signed POSTs to `url` instead of over Socket Mode. */
  deliverOverHttp(url: string, signingSecret: string): void {
    this.parts.router.useHttp({ url, signingSecret });
  }

  /** Sends events from now on over Socket Mode again. */
  deliverOverSocketMode(): void {
    this.parts.router.useSocketMode();
  }

  /** Sends a signed `url_verification` request to the HTTP target and returns the bot's response. */
  sendUrlVerification(challenge = 'test-challenge-value'): Promise<HttpReply> {
    return this.parts.router.requireHttpSender().sendUrlVerification(challenge);
  }

  /**
   * Sends an `event_callback` with a signature the bot must reject and returns its
   * response. `event` defaults to an `app_mention` from user `U0MALLORY1` in `C0FORGED01`.
   */
  sendForgedRequest(kind: ForgedRequestKind, event?: Record<string, unknown>): Promise<HttpReply> {
    const forgedEvent = event ?? {
      type: 'app_mention',
      user: 'U0MALLORY1',
      text: `<@${this.botUserId}> forged`,
      ts: this.parts.ids.nextTs(),
      channel: 'C0FORGED01',
    };
    const body = buildEventCallback(this.identity, this.parts.ids.nextEventId(), forgedEvent);
    return this.parts.router.requireHttpSender().sendForgedRequest(kind, body);
  }

  /** Ends every Socket Mode connection without a close frame, as a network failure would. */
  dropSockets(): void {
    this.parts.hub.dropConnections();
  }

  /** Sends a `disconnect` frame (`refresh_requested`, `warning`, `link_disabled`) to every open connection. */
  sendDisconnect(reason = 'refresh_requested'): void {
    this.parts.hub.sendDisconnect(reason);
  }

  /** Resolves with every stored message that matches, once there are at least `count` of them. */
  waitForMessages(
    predicate: (message: SlackMessage) => boolean,
    options: WaitOptions & { count?: number } = {},
  ): Promise<SlackMessage[]> {
    const count = options.count ?? 1;
    return waitForChange(this.store, {
      check: () => atLeast(this.store.allMessages().filter(predicate), count),
      timeoutMs: options.timeoutMs ?? defaultWaitTimeoutMs,
      description: `${count} matching message(s)`,
      describeState: () => describeMessages(this.store.allMessages()),
    });
  }

  /** Resolves with the bot's replies in the thread, oldest first, once there are at least `count`. */
  waitForBotReply(thread: ThreadRef, count = 1, options: WaitOptions = {}): Promise<SlackMessage[]> {
    const botReplies = (): SlackMessage[] =>
      this.store.threadMessages(thread).filter((message) => message.ts !== thread.ts && this.isFromBot(message));
    return waitForChange(this.store, {
      check: () => atLeast(botReplies(), count),
      timeoutMs: options.timeoutMs ?? defaultWaitTimeoutMs,
      description: `${count} bot reply(ies) in thread ${thread.channel}/${thread.ts}`,
      describeState: () => describeMessages(this.store.threadMessages(thread)),
    });
  }

  /** Resolves once `total` Socket Mode connections have opened since the start and one is open now. */
  waitForConnections(total: number, options: WaitOptions = {}): Promise<void> {
    return waitForChange(this.store, {
      check: () => (this.store.socketConnections().length >= total && this.connectionCount > 0 ? true : undefined),
      timeoutMs: options.timeoutMs ?? defaultWaitTimeoutMs,
      description: `${total} Socket Mode connection(s)`,
      describeState: () => `Opened so far: ${this.store.socketConnections().length}, open now: ${this.connectionCount}.`,
    }).then(() => undefined);
  }

  /** Resolves once the event reaches `state`, such as `acked` or `abandoned`. */
  waitForEventState(eventId: string, state: EventState, options: WaitOptions = {}): Promise<void> {
    return waitForChange(this.store, {
      check: () => (this.store.eventState(eventId) === state ? true : undefined),
      timeoutMs: options.timeoutMs ?? defaultWaitTimeoutMs,
      description: `event ${eventId} to be ${state}`,
      describeState: () => `It is ${this.store.eventState(eventId) ?? 'unknown'}.`,
    }).then(() => undefined);
  }

  /** Ends every socket, delivery and timer, and closes the HTTP server, so that the test process can exit. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.parts.hub.close();
    await this.parts.router.close();
    this.parts.httpServer.closeAllConnections();
    await new Promise<void>((resolve, reject) => {
      this.parts.httpServer.close((error) => (error ? reject(error) : resolve()));
    });
    this.parts.logger.info('Slack test server stopped', { port: this.parts.port });
  }

  private isFromBot(message: SlackMessage): boolean {
    return message.user === this.botUserId || message.bot_id === this.botId;
  }
}

function atLeast<T>(items: T[], count: number): T[] | undefined {
  return items.length >= count ? items : undefined;
}

/** Lists the last ten messages, one short line each, for timeout messages. */
function describeMessages(messages: SlackMessage[]): string {
  if (messages.length === 0) {
    return 'There are no messages.';
  }
  const lines = messages.slice(-10).map((message) => {
    const author = message.user ?? message.bot_id ?? '?';
    const thread = message.thread_ts !== undefined && message.thread_ts !== message.ts ? ` in ${message.thread_ts}` : '';
    return `${message.channel}/${message.ts}${thread} ${author}: ${JSON.stringify(message.text.slice(0, 80))}`;
  });
  return `Last messages:\n${lines.join('\n')}`;
}
