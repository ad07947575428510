import { SocketModeClient } from '@slack/socket-mode';
import { ErrorCode, LogLevel, WebClient, type Logger, type WebAPIPlatformError, type WebClientOptions } from '@slack/web-api';
import type { SlackServer } from './index.ts';

/**
 * A Slack SDK logger that drops everything. The WebClient logs each `[ERROR] …` line of
 * `response_metadata.messages` at error level, which would fill the output of tests
 * that provoke errors on purpose.
 */
export const quietSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/** Creates a real WebClient with the bot token, pointed at the server, that retries only when `options.retryConfig` sets retries. */
export function createBotClient(server: SlackServer, options: WebClientOptions = {}): WebClient {
  return new WebClient(server.botToken, {
    slackApiUrl: server.apiUrl,
    logger: quietSlackLogger,
    retryConfig: { retries: 0 },
    ...options,
  });
}

/**
 * Creates a real SocketModeClient pointed at the server. `clientPingTimeout` is short because
 * the client also waits that long (times the failure count) before reconnecting.
 */
export function createSocketClient(server: SlackServer): SocketModeClient {
  return new SocketModeClient({
    appToken: server.appToken,
    logger: quietSlackLogger,
    clientPingTimeout: 300,
    clientOptions: { slackApiUrl: server.apiUrl },
  });
}

/** What a SocketModeClient emits for an `events_api` envelope. */
export interface ReceivedEvent {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  body: Record<string, unknown>;
  event: Record<string, unknown>;
  retry_num: number;
  retry_reason: string;
}

/**
 * Resolves when the client has processed the next `hello`. Waiting for the server to
 * see the connection is not enough: a client disconnected before its `hello` arrived
 * leaves its reconnect promise rejected and unhandled.
 */
export function nextConnected(client: SocketModeClient): Promise<void> {
  return new Promise((resolve) => client.once('connected', () => resolve()));
}

/** Resolves with the next event of `type` that the client emits. */
export function nextEvent(client: SocketModeClient, type: string): Promise<ReceivedEvent> {
  return new Promise((resolve) => client.once(type, (received: ReceivedEvent) => resolve(received)));
}

/** Returns the Slack error code a call failed with; throws if it succeeded or failed otherwise. */
export async function slackErrorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === ErrorCode.PlatformError) {
      return (error as WebAPIPlatformError).data.error ?? '';
    }
    throw error;
  }
  throw new Error('Expected the Web API call to fail, but it succeeded.');
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
