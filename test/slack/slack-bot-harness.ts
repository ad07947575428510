import type { LookupContext } from '../../src/actions/lookup-context.ts';
import { createJsonLogger, type Logger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';
import { lookupStartedPrefix } from '../../src/slack/slack-notices.ts';
import { SlackBot, type SlackBotAddress, type SlackBotOptions } from '../../src/slack/slack-bot.ts';
import { startSlackServer, type SlackServer, type SlackServerOptions, type SlackMessage, type ThreadRef } from '../slack-server/index.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { fixtureNow, fixtureStaleAfterMs } from '../support/thread-harness.ts';

/** One JSON line of the bot's log. */
export interface LogLine {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** A real SlackBot talking to the loopback Slack server, with its log collected. */
export interface BotHarness {
  server: SlackServer;
  bot: SlackBot;
  address: SlackBotAddress;
  logs: LogLine[];
  /** Stops the bot and starts a new one on the same server, as a restart of the process would; its log goes on in `logs`. */
  restartBot(): Promise<void>;
  /** Stops the bot, then the server. */
  close(): Promise<void>;
}

/** Settings of `startBotHarness`; everything has a default. */
export interface BotHarnessOptions {
  server?: SlackServer;
  serverOptions?: SlackServerOptions;
  bot?: Partial<SlackBotOptions>;
  reader?: MetaflowReader;
  /** Starts the server without starting the bot, e.g. to set up HTTP delivery first. */
  mode?: 'socket' | 'http';
}

/** Signing secret of the HTTP-mode tests. */
export const testSigningSecret = 'test-signing-secret-0123456789';

/** Starts the server (unless given) and a bot on the fixture datastore, with a fixed clock for the lookups. */
export async function startBotHarness(options: BotHarnessOptions = {}): Promise<BotHarness> {
  const server = options.server ?? (await startSlackServer(options.serverOptions));
  const logs: LogLine[] = [];
  const logger = createJsonLogger('debug', (line) => logs.push(JSON.parse(line) as LogLine));
  const startBot = async (): Promise<{ bot: SlackBot; address: SlackBotAddress }> => {
    const bot = new SlackBot({ ...defaultBotOptions(server, logger, options), ...options.bot });
    const address = await bot.start();
    if (options.mode === 'http') {
      server.deliverOverHttp(`http://127.0.0.1:${address.eventsPort}/slack/events`, testSigningSecret);
    }
    return { bot, address };
  };

  const harness: BotHarness = {
    server,
    ...(await startBot()),
    logs,
    async restartBot() {
      await harness.bot.stop();
      Object.assign(harness, await startBot());
    },
    async close() {
      await harness.bot.stop();
      await server.close();
    },
  };
  return harness;
}

/** Log lines with this message, for assertions on what the bot logged. */
export function logLines(logs: readonly LogLine[], message: string): LogLine[] {
  return logs.filter((line) => line.message === message);
}

/** The lookup context of the tests: the fixture datastore, read at `fixtureNow`. */
export function fixtureLookupContext(logger: Logger, reader?: MetaflowReader): LookupContext {
  return {
    reader: reader ?? new LocalDatastoreReader({ root: metaflowLocalRoot, logger }),
    now: () => fixtureNow,
    staleAfterMs: fixtureStaleAfterMs,
    logger,
    sourceLabel: null,
    botVersion: '0.0.0-test',
    profiles: null,
    profile: null,
    audience: null,
  };
}

function defaultBotOptions(server: SlackServer, logger: Logger, options: BotHarnessOptions): SlackBotOptions {
  return {
    slack: {
      botToken: server.botToken,
      appToken: server.appToken,
      signingSecret: testSigningSecret,
      mode: options.mode ?? 'socket',
      port: 0,
      apiUrl: server.apiUrl,
    },
    threads: { maxCached: 100, idleMinutes: 60 },
    lookupContext: fixtureLookupContext(logger, options.reader),
    replyContext: { botName: 'Metaflow Bot', version: '0.0.0-test', lookupTimeoutMs: 30_000 },
    lookupTimeoutMs: 30_000,
    logger,
    listenHost: '127.0.0.1',
    socketPingTimeoutMs: 300,
    stopTimeoutMs: 2_000,
  };
}

/** The bot's replies in a thread, oldest first, once there are `count` and the newest is not a "Looking up" message. */
export async function waitForAnswers(server: SlackServer, thread: ThreadRef, count: number, timeoutMs = 10_000): Promise<SlackMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replies = await server.waitForBotReply(thread, count, { timeoutMs: Math.max(1, deadline - Date.now()) });
    if (!replies.some(isLookupStarted)) {
      return replies;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (Date.now() > deadline) {
      throw new Error(`A "Looking up" message in thread ${thread.ts} was not replaced within ${timeoutMs} ms.`);
    }
  }
}

/** Whether a bot message is a "Looking up …" message that no answer replaced yet. */
export function isLookupStarted(message: SlackMessage): boolean {
  return message.text.startsWith(lookupStartedPrefix);
}

/** The message's fallback text and the text of its blocks, joined, for assertions on what a person reads. */
export function readableText(message: SlackMessage | undefined): string {
  if (!message) {
    return '';
  }
  const parts = [message.text];
  for (const block of message.blocks ?? []) {
    parts.push(...blockTexts(block));
  }
  return parts.join('\n');
}

function blockTexts(block: unknown): string[] {
  if (typeof block !== 'object' || block === null) {
    return [];
  }
  const texts: string[] = [];
  if ('text' in block && typeof block.text === 'string') {
    texts.push(block.text);
  }
  if ('text' in block && typeof block.text === 'object' && block.text !== null && 'text' in block.text && typeof block.text.text === 'string') {
    texts.push(block.text.text);
  }
  if ('elements' in block && Array.isArray(block.elements)) {
    texts.push(...block.elements.flatMap(blockTexts));
  }
  return texts;
}
