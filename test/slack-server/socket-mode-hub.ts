import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Logger } from '../../src/logger.ts';
import type { FaultSwitches } from './fault-switches.ts';
import type { IdSource } from './id-source.ts';
import type { SlackStore } from './slack-store.ts';

/** Path of the Socket Mode URLs that `apps.connections.open` hands out. */
export const socketPath = '/link/';

/** Timing and retry settings of Socket Mode delivery. */
export interface SocketModeHubOptions {
  /** Milliseconds to wait for the ack of an envelope before redelivering it. */
  ackTimeoutMs: number;
  /** Redeliveries after the first delivery; the event is abandoned after the last one times out. */
  maxRetries: number;
  /** Milliseconds between the server's WebSocket pings; 0 sends none. */
  pingIntervalMs: number;
}

/** What the hub shares with the rest of the server. */
export interface SocketModeHubDependencies {
  store: SlackStore;
  ids: IdSource;
  faults: FaultSwitches;
  logger: Logger;
  appId: string;
  /** `ws://127.0.0.1:<port>`, without a trailing slash. */
  wsBaseUrl: string;
}

interface HubConnection {
  id: number;
  socket: WebSocket;
  pingTimer?: NodeJS.Timeout;
}

/** An event that the bot has not acked yet. `envelopeId` is set while a delivery waits for its ack. */
interface PendingEvent {
  eventId: string;
  body: Record<string, unknown>;
  retryAttempt: number;
  retryReason: string;
  envelopeId?: string;
  ackTimer?: NodeJS.Timeout;
}

/**
 * The Socket Mode side of the server: accepts WebSocket connections on single-use
 * ticket URLs, greets each with `hello`, sends events as `events_api` envelopes and
 * waits for their acks. An envelope not acked within `ackTimeoutMs` goes out again to
 * any open connection with `retry_attempt` one higher and `retry_reason: 'timeout'`.
 * Events wait in order while no connection is open.
 */
export class SocketModeHub {
  private readonly server = new WebSocketServer({ noServer: true, autoPong: false });
  private readonly tickets = new Set<string>();
  private readonly connections = new Map<number, HubConnection>();
  private readonly pending: PendingEvent[] = [];
  private readonly ackDelayTimers = new Set<NodeJS.Timeout>();
  private lastConnectionId = 0;
  private nextPick = 0;
  private closed = false;

  constructor(
    private readonly dependencies: SocketModeHubDependencies,
    private readonly options: SocketModeHubOptions,
  ) {}

  /** Issues a single-use connection URL, as `apps.connections.open` returns it. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.dependencies.wsBaseUrl}${socketPath}?ticket=${ticket}&app_id=${this.dependencies.appId}`;
  }

  /** Takes over an HTTP upgrade request; an unknown or used ticket gets 401. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (this.closed || url.pathname !== socketPath || !this.tickets.delete(ticket)) {
      this.dependencies.logger.warn('Socket Mode connection refused', { path: url.pathname });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (webSocket) => this.accept(webSocket));
  }

  /** Queues an `event_callback` body and sends it at once if a connection is open. */
  enqueue(eventId: string, body: Record<string, unknown>): void {
    this.pending.push({ eventId, body, retryAttempt: 0, retryReason: '' });
    this.dependencies.store.setEventState(eventId, 'queued');
    this.flush();
  }

  /** Sends every queued event, unless events are held or no connection is open. */
  flush(): void {
    if (this.closed || this.dependencies.faults.areEventsHeld) {
      return;
    }
    for (const event of this.pending) {
      if (event.envelopeId !== undefined) {
        continue;
      }
      const connection = this.pickConnection();
      if (!connection) {
        return;
      }
      this.send(event, connection);
    }
  }

  /** Closes every connection at the TCP level, without a close frame, as a network failure would. */
  dropConnections(): void {
    for (const connection of this.connections.values()) {
      connection.socket.terminate();
    }
  }

  /** Sends a `disconnect` frame to every open connection; the real client then closes and reconnects. */
  sendDisconnect(reason: string): void {
    const frame = JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-127-0-0-1' } });
    for (const connection of this.openConnections()) {
      connection.socket.send(frame);
    }
  }

  /** Number of connections open now. */
  get openConnectionCount(): number {
    return this.openConnections().length;
  }

  /**
   * Stops all timers and ends every connection with a close handshake, then cuts what
   * is still open after `closeGraceMs`. Bolt's `App.stop()` resolves before its close
   * handshake ends, and a socket cut in the middle of it leaves the Slack SDK logging an
   * error and keeping a 30-second timer alive.
   */
  async close(closeGraceMs = 500): Promise<void> {
    this.closed = true;
    for (const event of this.pending) {
      clearTimeout(event.ackTimer);
    }
    for (const timer of this.ackDelayTimers) {
      clearTimeout(timer);
    }

    const closings = [...this.connections.values()].map((connection) => {
      clearInterval(connection.pingTimer);
      return closeGracefully(connection.socket, closeGraceMs);
    });
    await Promise.all(closings);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    const { logger, store } = this.dependencies;
    this.lastConnectionId += 1;
    const connection: HubConnection = { id: this.lastConnectionId, socket };
    this.connections.set(connection.id, connection);

    socket.on('message', (data) => this.onClientMessage(connection, data));
    socket.on('ping', (data) => this.onPing(connection, data));
    socket.on('error', (error) => logger.warn('Socket Mode connection failed', { connectionId: connection.id, error }));
    socket.on('close', (code) => this.onClose(connection, code));

    store.recordConnectionOpened(connection.id);
    logger.info('Socket Mode connection opened', { connectionId: connection.id });
    socket.send(JSON.stringify(this.helloFrame()));
    this.startPinging(connection);
    this.flush();
  }

  private helloFrame(): Record<string, unknown> {
    return {
      type: 'hello',
      num_connections: this.openConnectionCount,
      debug_info: { host: 'applink-127-0-0-1', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: this.dependencies.appId },
    };
  }

  private startPinging(connection: HubConnection): void {
    if (this.options.pingIntervalMs <= 0) {
      return;
    }
    connection.pingTimer = setInterval(() => {
      if (connection.socket.readyState === WebSocket.OPEN && !this.dependencies.faults.arePongsSuppressed) {
        connection.socket.ping(`ping from 127.0.0.1 at ${Date.now()}`);
      }
    }, this.options.pingIntervalMs);
  }

  private onPing(connection: HubConnection, data: Buffer): void {
    if (!this.dependencies.faults.arePongsSuppressed && connection.socket.readyState === WebSocket.OPEN) {
      connection.socket.pong(data);
    }
  }

  private onClose(connection: HubConnection, code: number): void {
    clearInterval(connection.pingTimer);
    this.connections.delete(connection.id);
    this.dependencies.store.recordConnectionClosed(connection.id);
    this.dependencies.logger.info('Socket Mode connection closed', { connectionId: connection.id, code });
  }

  private onClientMessage(connection: HubConnection, data: RawData): void {
    const { logger, faults } = this.dependencies;
    let message: unknown;
    try {
      message = JSON.parse(rawDataToString(data));
    } catch (error) {
      logger.warn('Socket Mode message is not JSON; ignored', { connectionId: connection.id, error });
      return;
    }
    if (typeof message !== 'object' || message === null || !('envelope_id' in message)) {
      logger.warn('Socket Mode message has no envelope_id; ignored', { connectionId: connection.id });
      return;
    }

    const envelopeId = String(message.envelope_id);
    const payload = 'payload' in message ? message.payload : undefined;
    if (faults.ackDelayMs <= 0) {
      this.acceptAck(envelopeId, payload);
      return;
    }
    const timer = setTimeout(() => {
      this.ackDelayTimers.delete(timer);
      this.acceptAck(envelopeId, payload);
    }, faults.ackDelayMs);
    this.ackDelayTimers.add(timer);
  }

  private acceptAck(envelopeId: string, payload: unknown): void {
    const { store, logger } = this.dependencies;
    const index = this.pending.findIndex((event) => event.envelopeId === envelopeId);
    const event = this.pending[index];
    if (!event) {
      // The envelope was redelivered under a new id or abandoned before this ack arrived.
      logger.warn('Socket Mode ack matches no envelope waiting for one; ignored', { envelopeId });
      return;
    }

    clearTimeout(event.ackTimer);
    this.pending.splice(index, 1);
    store.updateAttempt(event.eventId, event.retryAttempt, { outcome: 'acked', ackPayload: payload });
    store.setEventState(event.eventId, 'acked');
    logger.debug('Socket Mode envelope acked', { eventId: event.eventId, envelopeId });
  }

  private send(event: PendingEvent, connection: HubConnection): void {
    const { store, ids, logger } = this.dependencies;
    const envelopeId = ids.nextEnvelopeId();
    const envelope = {
      envelope_id: envelopeId,
      payload: event.body,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: event.retryAttempt,
      retry_reason: event.retryReason,
    };

    event.envelopeId = envelopeId;
    connection.socket.send(JSON.stringify(envelope));
    event.ackTimer = setTimeout(() => this.onAckTimeout(event), this.options.ackTimeoutMs);
    store.recordAttempt({
      eventId: event.eventId,
      transport: 'socket',
      retryAttempt: event.retryAttempt,
      retryReason: event.retryReason,
      envelopeId,
      connectionId: connection.id,
      sentAt: Date.now(),
      outcome: 'pending',
    });
    store.setEventState(event.eventId, 'in_flight');
    logger.debug('Socket Mode envelope sent', { eventId: event.eventId, envelopeId, retryAttempt: event.retryAttempt });
  }

  private onAckTimeout(event: PendingEvent): void {
    const { store, logger } = this.dependencies;
    event.envelopeId = undefined;
    event.ackTimer = undefined;
    store.updateAttempt(event.eventId, event.retryAttempt, { outcome: 'timed_out' });

    if (event.retryAttempt >= this.options.maxRetries) {
      this.pending.splice(this.pending.indexOf(event), 1);
      store.setEventState(event.eventId, 'abandoned');
      logger.warn('Socket Mode event abandoned: no ack after the last retry', { eventId: event.eventId });
      return;
    }

    event.retryAttempt += 1;
    event.retryReason = 'timeout';
    store.setEventState(event.eventId, 'queued');
    logger.info('Socket Mode envelope not acked in time; redelivering', { eventId: event.eventId, retryAttempt: event.retryAttempt });
    this.flush();
  }

  private openConnections(): HubConnection[] {
    return [...this.connections.values()].filter((connection) => connection.socket.readyState === WebSocket.OPEN);
  }

  /** Spreads deliveries over the open connections in turn. */
  private pickConnection(): HubConnection | undefined {
    const open = this.openConnections();
    if (open.length === 0) {
      return undefined;
    }
    this.nextPick = (this.nextPick + 1) % open.length;
    return open[this.nextPick];
  }
}

/** Starts or finishes the close handshake (code 1001, going away) and terminates the socket if it takes longer than `graceMs`. */
function closeGracefully(socket: WebSocket, graceMs: number): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === WebSocket.OPEN) {
      socket.close(1001, 'server closing');
    }
  });
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}
