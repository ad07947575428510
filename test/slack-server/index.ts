import { createServer, type Server } from 'node:http';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { chatMethods } from './chat-methods.ts';
import { conversationMethods } from './conversation-methods.ts';
import { EventRouter } from './event-router.ts';
import { FaultSwitches } from './fault-switches.ts';
import { fileMethods } from './file-methods.ts';
import { attachSlackRoutes } from './http-routes.ts';
import { IdSource } from './id-source.ts';
import { identityMethods } from './identity-methods.ts';
import type { MethodContext, MethodTable } from './method-spec.ts';
import { echoBotMessage, type SimulationContext } from './simulated-users.ts';
import { defaultIdentity, type SlackIdentity } from './slack-identity.ts';
import { SlackServer } from './slack-server.ts';
import { SlackStore } from './slack-store.ts';
import { SocketModeHub } from './socket-mode-hub.ts';
import { WebApi } from './web-api.ts';

export { SlackServer, defaultWaitTimeoutMs, type WaitOptions } from './slack-server.ts';
export { anyMethod, FaultSwitches } from './fault-switches.ts';
export type { ForgedRequestKind, HttpReply } from './http-event-sender.ts';
export type { ChannelType } from './event-callbacks.ts';
export type { ForeignBotMessageInput, PostedMessage, RawMessageInput, UserMessageInput } from './simulated-users.ts';
export { defaultIdentity, type SlackIdentity } from './slack-identity.ts';
export { maxBlockCount, maxTextLength } from './message-content.ts';
export { signSlackRequest } from './request-signature.ts';
export type {
  ApiCallRecord,
  DeliveryAttempt,
  EventState,
  MessageFile,
  MessageMetadata,
  SlackMessage,
  SlackStore,
  SocketConnectionRecord,
  ThreadRef,
  UploadedFile,
  UserProfile,
} from './slack-store.ts';

/** Settings of `startSlackServer`; every field has a default. */
export interface SlackServerOptions {
  /** Overrides of the ids and tokens in `defaultIdentity`. */
  identity?: Partial<SlackIdentity>;
  /** Milliseconds to wait for a Socket Mode ack before redelivering; Slack waits 3 seconds. */
  ackTimeoutMs?: number;
  /** Redeliveries of an event after the first delivery, over either transport; defaults to 3. */
  maxRetries?: number;
  /** Milliseconds between the server's WebSocket pings; 0 turns them off. Defaults to 10,000. */
  pingIntervalMs?: number;
  /** Milliseconds to wait for the bot's HTTP response before retrying; defaults to 3000. */
  httpTimeoutMs?: number;
  /** Milliseconds between HTTP delivery attempts; defaults to 0 (Slack waits minutes, too long for tests). */
  httpRetryDelayMs?: number;
  /** Delivers a `message` event for each message the bot posts, as Slack does; defaults to false. */
  echoBotMessages?: boolean;
  /** Defaults to a logger that drops everything. */
  logger?: Logger;
}

/**
 * Starts the Slack stand-in on 127.0.0.1 at a free port. Point the bot at it with
 * `clientOptions: { slackApiUrl: server.apiUrl }` and the tokens `server.botToken`
 * and `server.appToken`; call `close()` when the test ends.
 */
export async function startSlackServer(options: SlackServerOptions = {}): Promise<SlackServer> {
  const logger = options.logger ?? silentLogger;
  const identity: SlackIdentity = { ...defaultIdentity, ...options.identity };
  const httpServer = createServer();
  const port = await listenOnLoopback(httpServer);

  const store = new SlackStore();
  const ids = new IdSource();
  store.saveUser({ id: identity.botUserId, name: identity.botName, realName: identity.botName, isBot: true, tz: 'UTC' });

  const maxRetries = options.maxRetries ?? 3;
  const faults = new FaultSwitches(() => hub.flush());
  const hub = new SocketModeHub(
    { store, ids, faults, logger, appId: identity.appId, wsBaseUrl: `ws://127.0.0.1:${port}` },
    { ackTimeoutMs: options.ackTimeoutMs ?? 3000, maxRetries, pingIntervalMs: options.pingIntervalMs ?? 10_000 },
  );
  const router = new EventRouter(hub, { store, logger }, {
    timeoutMs: options.httpTimeoutMs ?? 3000,
    maxRetries,
    retryDelayMs: options.httpRetryDelayMs ?? 0,
  });
  const simulation: SimulationContext = { store, ids, identity, deliver: (eventId, body) => router.deliver(eventId, body) };

  const methodContext: MethodContext = {
    store,
    ids,
    identity,
    baseUrl: `http://127.0.0.1:${port}`,
    onBotMessage: (message) => {
      if (options.echoBotMessages) {
        echoBotMessage(simulation, message);
      }
    },
    openSocketUrl: () => hub.issueUrl(),
  };
  const webApi = new WebApi(collectMethods(methodContext), { store, identity, faults, logger });
  attachSlackRoutes(httpServer, { webApi, methodContext, hub, logger });

  logger.info('Slack test server started', { port });
  return new SlackServer({ httpServer, port, identity, store, ids, faults, hub, router, simulation, logger });
}

function collectMethods(context: MethodContext): MethodTable {
  return {
    ...identityMethods(context),
    ...chatMethods(context),
    ...conversationMethods(context),
    ...fileMethods(context),
  };
}

function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error(`Expected a TCP address after listening, got ${String(address)}`));
        return;
      }
      resolve(address.port);
    });
  });
}
