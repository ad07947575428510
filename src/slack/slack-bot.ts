import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type Logger as SlackLogger } from '@slack/bolt';
import type { LookupContext } from '../actions/lookup-context.ts';
import type { ReplyContext } from '../actions/render-reply.ts';
import type { BotConfig } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import { fetchBotIdentity, type BotIdentity } from './bot-identity.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { EventDeduplicator } from './event-deduplicator.ts';
import { healthPath, startHealthServer, writeHealth, type HealthReport, type HealthServer } from './health-server.ts';
import { readIncomingMessage, threadKey } from './incoming-message.ts';
import { createSlackCaller, defaultRateLimitPolicy, type CallSlack, type RateLimitPolicy } from './rate-limit-retry.ts';
import { SlackThreads } from './slack-threads.ts';
import { createSlackWebClient, type SlackWebClient } from './web-client.ts';

/** Everything the Slack app needs; `setUpBot` provides most of it. */
export interface SlackBotOptions {
  slack: BotConfig['slack'];
  threads: BotConfig['threads'];
  /** The lookups' context; each thread adds its audience, against which `profiles` checks access. */
  lookupContext: LookupContext;
  replyContext: ReplyContext;
  /** A lookup that takes longer is reported as timed out, in milliseconds. */
  lookupTimeoutMs: number;
  logger: Logger;
  /** Interface that the HTTP mode and the health endpoint listen on; defaults to 127.0.0.1. */
  listenHost?: string;
  /** Port of the health endpoint in Socket Mode (0 picks a free one); none when undefined. */
  healthPort?: number;
  /**
   * Milliseconds the Socket Mode client waits for a pong before it reconnects; it also waits this
   * long before the first reconnect attempt. Defaults to the SDK's 5,000.
   */
  socketPingTimeoutMs?: number;
  rateLimitPolicy?: RateLimitPolicy;
  /** How long event ids are remembered to drop redeliveries, in milliseconds. Defaults to one hour. */
  dedupWindowMs?: number;
  /** How long `stop()` waits for running lookups and replies, in milliseconds. Defaults to 8,000. */
  stopTimeoutMs?: number;
}

/** Ports and identity of the started bot. */
export interface SlackBotAddress {
  /** The HTTP events port in HTTP mode, else null. */
  eventsPort: number | null;
  /** The health endpoint's port in Socket Mode when one was asked for, else null. */
  healthPort: number | null;
  identity: BotIdentity;
}

/**
 * Slack redelivers an unacknowledged event up to three times within several minutes; an hour
 * covers that with room to spare.
 */
const defaultDedupWindowMs = 60 * 60_000;

const mebibyte = 1024 * 1024;

/** Most event ids and message keys remembered; at about 150 bytes each this bounds the memory to some 30 MB. */
const maxRememberedKeys = 200_000;

/**
 * The bot in Slack: a Bolt app that receives events over Socket Mode (default) or HTTP, drops
 * redeliveries and events it does not reply to, and hands each message to its thread in
 * `SlackThreads`. Bolt acknowledges every event before the bot works on it.
 */
export class SlackBot {
  private readonly logger: Logger;
  private readonly boltLogger: SlackLogger;
  private readonly stopping = new AbortController();
  private readonly dedup: EventDeduplicator;
  private app: App | null = null;
  private threads: SlackThreads | null = null;
  private identity: BotIdentity | null = null;
  private health: HealthServer | null = null;
  private receiving = false;
  private stopRequested = false;
  private startedAt = Date.now();

  constructor(private readonly options: SlackBotOptions) {
    this.logger = options.logger;
    this.boltLogger = createBoltLogger(options.logger);
    this.dedup = new EventDeduplicator({ ttlMs: options.dedupWindowMs ?? defaultDedupWindowMs, maxKeys: maxRememberedKeys });
  }

  /** Checks the bot token with `auth.test`, connects to Slack and starts replying to messages. */
  async start(): Promise<SlackBotAddress> {
    const { slack } = this.options;
    const botToken = requireSetting(slack.botToken, 'slack.botToken');
    const client = createSlackWebClient(botToken, slack.apiUrl, this.logger);
    const callSlack = createSlackCaller(this.options.rateLimitPolicy ?? defaultRateLimitPolicy, this.logger, this.stopping.signal);
    const identity = await callSlack('auth.test', () => fetchBotIdentity(client));
    this.startedAt = Date.now();
    this.identity = identity;
    this.threads = this.createThreads(client, callSlack, identity);

    const app = slack.mode === 'socket' ? this.createSocketApp(botToken, identity) : this.createHttpApp(botToken, identity);
    this.app = app;
    app.event('app_mention', async ({ event, body, context }) => this.receive(event, body.event_id, context.retryNum));
    app.event('message', async ({ event, body, context }) => this.receive(event, body.event_id, context.retryNum));
    app.error(async (error) => this.logger.error('Bolt failed to process an event', { error }));

    const eventsPort = await this.startReceiving(app);
    const healthPort = await this.startHealth();
    this.logger.info('Slack app started', { mode: slack.mode, botUserId: identity.userId, botId: identity.botId, eventsPort, healthPort });
    return { eventsPort, healthPort, identity };
  }

  /** Stops receiving events, waits a little for running lookups and replies, then releases everything. */
  async stop(): Promise<void> {
    this.logger.info('Slack app stopping');
    this.stopRequested = true;
    this.receiving = false;
    await this.app?.stop();
    await this.threads?.close(this.options.stopTimeoutMs ?? 8_000);
    this.stopping.abort();
    await this.health?.close();
    this.logger.info('Slack app stopped');
  }

  /** Returns the report of `GET /health`. */
  report(): HealthReport {
    const memory = process.memoryUsage();
    return {
      healthy: this.receiving,
      mode: this.options.slack.mode,
      threadsInMemory: this.threads?.cachedCount ?? 0,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      rssMiB: Math.round(memory.rss / mebibyte),
      heapUsedMiB: Math.round(memory.heapUsed / mebibyte),
    };
  }

  private createThreads(client: SlackWebClient, callSlack: CallSlack, identity: BotIdentity): SlackThreads {
    const { threads, lookupContext, replyContext, lookupTimeoutMs } = this.options;
    return new SlackThreads({
      client,
      callSlack,
      identity,
      lookupContext,
      replyContext,
      lookupTimeoutMs,
      logger: this.logger,
      maxCached: threads.maxCached,
      idleMs: threads.idleMinutes * 60_000,
    });
  }

  private createSocketApp(botToken: string, identity: BotIdentity): App {
    const { slack, socketPingTimeoutMs } = this.options;
    const receiver = new SocketModeReceiver({
      appToken: requireSetting(slack.appToken, 'slack.appToken'),
      logger: this.boltLogger,
      ...(socketPingTimeoutMs === undefined ? {} : { clientPingTimeout: socketPingTimeoutMs }),
      installerOptions: { clientOptions: { slackApiUrl: slack.apiUrl } },
    });
    receiver.client.on('connected', () => {
      this.receiving = true;
      this.logger.info('Socket Mode connected');
    });
    receiver.client.on('close', () => {
      this.receiving = false;
      if (!this.stopRequested) {
        this.logger.warn('Socket Mode connection closed; the client reconnects');
      }
    });
    receiver.client.on('reconnecting', () => this.logger.info('Socket Mode reconnecting'));
    return this.createApp(receiver, botToken, identity);
  }

  private createHttpApp(botToken: string, identity: BotIdentity): App {
    const receiver = new HTTPReceiver({
      signingSecret: requireSetting(this.options.slack.signingSecret, 'slack.signingSecret'),
      logger: this.boltLogger,
      endpoints: '/slack/events',
      customRoutes: [{ path: healthPath, method: ['GET'], handler: (_request, response) => writeHealth(response, this.report()) }],
    });
    return this.createApp(receiver, botToken, identity);
  }

  /** Creates the Bolt app. The identity comes from our `auth.test` through `authorize`, so Bolt makes no call of its own. */
  private createApp(receiver: SocketModeReceiver | HTTPReceiver, botToken: string, identity: BotIdentity): App {
    return new App({
      receiver,
      logger: this.boltLogger,
      clientOptions: { slackApiUrl: this.options.slack.apiUrl },
      authorize: async () => ({
        botToken,
        botId: identity.botId,
        botUserId: identity.userId,
        ...(identity.teamId ? { teamId: identity.teamId } : {}),
      }),
    });
  }

  private async startReceiving(app: App): Promise<number | null> {
    const { slack, listenHost } = this.options;
    if (slack.mode === 'socket') {
      await app.start();
      return null;
    }
    const server = await app.start({ port: slack.port, host: listenHost ?? '127.0.0.1' });
    this.receiving = true;
    return (server.address() as AddressInfo).port;
  }

  private async startHealth(): Promise<number | null> {
    const { healthPort, listenHost, slack } = this.options;
    if (slack.mode !== 'socket' || healthPort === undefined) {
      return null;
    }
    this.health = await startHealthServer({ host: listenHost ?? '127.0.0.1', port: healthPort, report: () => this.report(), logger: this.logger });
    return this.health.port;
  }

  /** Handles one event after Bolt acknowledged it: drops repeats and events the bot does not reply to. */
  private async receive(event: object, eventId: string, retryNum: number | undefined): Promise<void> {
    const { threads, identity } = this;
    if (!threads || !identity) {
      return;
    }
    if (!this.dedup.firstSeen(`event:${eventId}`)) {
      this.logger.info('redelivered event ignored', { eventId, retryNum });
      return;
    }
    const decision = readIncomingMessage(event, eventId, identity);
    if (decision.kind === 'ignore') {
      this.logger.debug('event ignored', { eventId, reason: decision.reason });
      return;
    }
    const { message } = decision;
    if (!this.dedup.firstSeen(`message:${message.channel}/${message.ts}`)) {
      this.logger.info('message already handled through another event; ignored', { eventId, thread: threadKey(message) });
      return;
    }
    this.logger.debug('message received', { eventId, thread: threadKey(message), retryNum });
    void threads.handle(message);
  }
}

function requireSetting(value: string | undefined, name: string): string {
  if (!value) {
    throw new Error(`The Slack app cannot start without ${name}.`);
  }
  return value;
}
