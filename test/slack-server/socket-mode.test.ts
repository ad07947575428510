import type { SocketModeClient } from '@slack/socket-mode';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotClient, createSocketClient, nextConnected, nextEvent, sleep, slackErrorOf } from './client-helpers.ts';
import { startSlackServer, type SlackServer } from './index.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';
const ackTimeoutMs = 150;

let server: SlackServer;
let client: SocketModeClient;

beforeEach(async () => {
  server = await startSlackServer({ ackTimeoutMs, pingIntervalMs: 100 });
  client = createSocketClient(server);
});

afterEach(async () => {
  await client.disconnect();
  await server.close();
});

describe('Socket Mode delivery', () => {
  it('delivers an acked event once', async () => {
    await client.start();
    const received = nextEvent(client, 'app_mention');
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    const event = await received;
    await event.ack();
    await server.waitForEventState(eventId, 'acked');
    await sleep(ackTimeoutMs * 2);

    expect(event.body['event_id']).toBe(eventId);
    expect(event.event['text']).toBe(`<@${server.botUserId}> ping`);
    expect(event.retry_num).toBe(0);
    expect(server.store.deliveryAttempts(eventId)).toHaveLength(1);
  });

  it('sends message events for direct messages', async () => {
    await client.start();
    const received = nextEvent(client, 'message');
    server.postUserMessage({ channel: 'D0ALICE001', user: alice, text: 'hi' });
    const event = await received;
    await event.ack();

    expect(event.event['channel_type']).toBe('im');
    expect(event.event['user']).toBe(alice);
  });

  it('sends thread_ts for thread replies', async () => {
    await client.start();
    const parent = server.postUserMessage({ channel, user: alice, text: 'parent' });
    const received = nextEvent(client, 'app_mention');
    server.postUserMessage({ channel, user: alice, text: 'in thread', threadTs: parent.ts, mention: true });
    const event = await received;
    await event.ack();

    expect(event.event['thread_ts']).toBe(parent.ts);
  });

  it('redelivers an unacked envelope', async () => {
    await client.start();
    const first = nextEvent(client, 'app_mention');
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    const unacked = await first;
    const redelivered = await nextEvent(client, 'app_mention');
    await redelivered.ack();
    await server.waitForEventState(eventId, 'acked');

    expect(redelivered.retry_num).toBe(1);
    expect(redelivered.retry_reason).toBe('timeout');
    expect(redelivered.envelope_id).not.toBe(unacked.envelope_id);
    expect(redelivered.body['event_id']).toBe(eventId);
  });

  it('abandons an event after three retries', async () => {
    await client.start();
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await server.waitForEventState(eventId, 'abandoned', { timeoutMs: ackTimeoutMs * 8 });
    const attempts = server.store.deliveryAttempts(eventId);

    expect(attempts.map((attempt) => attempt.retryAttempt)).toEqual([0, 1, 2, 3]);
    expect(attempts.every((attempt) => attempt.outcome === 'timed_out')).toBe(true);
  });

  it('redelivers when the ack comes too late', async () => {
    await client.start();
    server.faults.delayAcks(ackTimeoutMs * 2);
    const first = nextEvent(client, 'app_mention');
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await (await first).ack();
    const redelivered = await nextEvent(client, 'app_mention');
    server.faults.delayAcks(0);
    await redelivered.ack();
    await server.waitForEventState(eventId, 'acked');

    expect(redelivered.retry_num).toBe(1);
  });

  it('holds events until released', async () => {
    await client.start();
    server.faults.holdEvents();
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'held', mention: true });
    await sleep(ackTimeoutMs);
    const stateWhileHeld = server.store.eventState(eventId);
    const received = nextEvent(client, 'app_mention');
    server.faults.releaseEvents();
    await (await received).ack();

    expect(stateWhileHeld).toBe('queued');
    expect(server.store.deliveryAttempts(eventId)).toHaveLength(1);
  });
});

describe('Socket Mode connections', () => {
  it('greets with hello', async () => {
    const connected = nextConnected(client);
    await client.start();
    await connected;

    expect(server.connectionCount).toBe(1);
  });

  it('reconnects after a dropped socket and gets the held event', async () => {
    await client.start();
    const reconnected = nextConnected(client);
    server.dropSockets();
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'while away', mention: true });
    const received = nextEvent(client, 'app_mention');
    await reconnected;
    const event = await received;
    await event.ack();
    const [attempt] = server.store.deliveryAttempts(eventId);

    expect(event.body['event_id']).toBe(eventId);
    expect(event.retry_num).toBe(0);
    expect(attempt?.connectionId).toBe(2);
  });

  it('reconnects after a disconnect frame', async () => {
    await client.start();
    const reconnected = nextConnected(client);
    server.sendDisconnect('refresh_requested');
    await reconnected;
    const received = nextEvent(client, 'app_mention');
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'after refresh', mention: true });
    await (await received).ack();
    await server.waitForEventState(eventId, 'acked');

    expect(server.store.socketConnections()[0]?.closedAt).toBeDefined();
    expect(server.connectionCount).toBe(1);
  });

  it('reconnects after a warning frame', async () => {
    await client.start();
    const reconnected = nextConnected(client);
    server.sendDisconnect('warning');
    await server.waitForConnections(2);
    await reconnected;

    expect(server.connectionCount).toBe(1);
  });

  it('reconnects when pongs stop', async () => {
    await client.start();
    const reconnected = nextConnected(client);
    server.faults.suppressPongs();
    await waitUntil(() => server.store.socketConnections()[0]?.closedAt !== undefined, 3000);
    server.faults.suppressPongs(false);
    await reconnected;

    expect(server.connectionCount).toBe(1);
  });

  it('refuses a used ticket', async () => {
    const bot = createBotClient(server);
    const opened = await bot.apps.connections.open({ token: server.appToken });
    const url = opened.url ?? '';
    const first = new WebSocket(url);
    await new Promise((resolve) => first.once('open', resolve));
    const status = await new Promise<number>((resolve) => {
      const second = new WebSocket(url);
      second.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    });
    first.terminate();

    expect(status).toBe(401);
  });

  it('closes sockets with a close frame', async () => {
    const bot = createBotClient(server);
    const opened = await bot.apps.connections.open({ token: server.appToken });
    const socket = new WebSocket(opened.url ?? '');
    await new Promise((resolve) => socket.once('open', resolve));
    const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    await server.close();

    expect(await closeCode).toBe(1001);
  });

  it('requires the app token for a connection URL', async () => {
    const bot = createBotClient(server);
    const error = await slackErrorOf(bot.apps.connections.open());

    expect(error).toBe('not_allowed_token_type');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await sleep(20);
  }
}
