import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { quietSlackLogger } from './client-helpers.ts';
import { startSlackServer, type SlackServer } from './index.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';
const signingSecret = 'test-signing-secret';

let server: SlackServer | undefined;
let app: App | undefined;

afterEach(async () => {
  await app?.stop();
  await server?.close();
  app = undefined;
  server = undefined;
});

/** Replies "pong" in the thread of every `app_mention`. */
function replyPongToMentions(target: App): void {
  target.event('app_mention', async ({ event, say }) => {
    await say({ text: 'pong', thread_ts: event.thread_ts ?? event.ts });
  });
}

describe('Bolt app over Socket Mode', () => {
  it('replies pong to a mention', async () => {
    server = await startSlackServer();
    app = new App({
      token: server.botToken,
      appToken: server.appToken,
      socketMode: true,
      logger: quietSlackLogger,
      clientOptions: { slackApiUrl: server.apiUrl },
    });
    replyPongToMentions(app);
    await app.start();

    const { ts, eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    const replies = await server.waitForBotReply({ channel, ts });
    await server.waitForEventState(eventId, 'acked');

    expect(replies.map((reply) => reply.text)).toEqual(['pong']);
    expect(replies[0]?.thread_ts).toBe(ts);
  });

  it('ignores its own echoed messages', async () => {
    server = await startSlackServer({ echoBotMessages: true });
    app = new App({
      token: server.botToken,
      appToken: server.appToken,
      socketMode: true,
      logger: quietSlackLogger,
      clientOptions: { slackApiUrl: server.apiUrl },
    });
    const seenAuthors: string[] = [];
    app.message(async ({ message, say }) => {
      seenAuthors.push('user' in message ? String(message.user) : '?');
      await say('pong');
    });
    await app.start();

    server.postUserMessage({ channel: 'D0ALICE001', user: alice, text: 'ping' });
    await server.waitForMessages((message) => message.text === 'pong');
    const echoIds = server.store.deliveryAttempts().map((attempt) => attempt.eventId);
    await Promise.all(echoIds.map((eventId) => server?.waitForEventState(eventId, 'acked')));

    expect(echoIds).toHaveLength(2);
    expect(seenAuthors).toEqual([alice]);
  });
});

describe('Bolt app over HTTP', () => {
  async function startHttpApp(target: SlackServer): Promise<string> {
    app = new App({
      token: target.botToken,
      signingSecret,
      logger: quietSlackLogger,
      clientOptions: { slackApiUrl: target.apiUrl },
    });
    replyPongToMentions(app);
    const httpServer = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = httpServer.address() as AddressInfo;
    return `http://127.0.0.1:${port}/slack/events`;
  }

  it('replies pong to a signed event', async () => {
    server = await startSlackServer();
    server.deliverOverHttp(await startHttpApp(server), signingSecret);

    const { ts, eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    const replies = await server.waitForBotReply({ channel, ts });
    await server.waitForEventState(eventId, 'acked');

    expect(replies.map((reply) => reply.text)).toEqual(['pong']);
    expect(server.store.deliveryAttempts(eventId).map((attempt) => attempt.status)).toEqual([200]);
  });

  it('echoes the url_verification challenge', async () => {
    server = await startSlackServer();
    server.deliverOverHttp(await startHttpApp(server), signingSecret);
    const reply = await server.sendUrlVerification('challenge-123');

    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ challenge: 'challenge-123' });
  });

  it.each(['bad-signature', 'stale-timestamp', 'missing-signature'] as const)('rejects %s', async (kind) => {
    server = await startSlackServer();
    server.deliverOverHttp(await startHttpApp(server), signingSecret);
    const reply = await server.sendForgedRequest(kind);

    expect(reply.status).toBe(401);
    expect(server.store.calls('chat.postMessage')).toHaveLength(0);
  });
});
