import { afterEach, describe, expect, it } from 'vitest';
import { readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';

let harness: BotHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Slack app over HTTP', () => {
  it('holds a conversation through signed requests', async () => {
    harness = await startBotHarness({ mode: 'http' });
    const { server } = harness;
    const { ts, eventId } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2);
    server.postUserMessage({ channel, user: alice, text: 'params', threadTs: ts });
    const replies = await waitForAnswers(server, thread, 3);

    expect(readableText(replies[1])).toContain('*`HelloFlow/1796413130413220`* by carol: succeeded');
    expect(readableText(replies[2])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
    expect(server.store.deliveryAttempts(eventId).map((attempt) => [attempt.transport, attempt.status])).toEqual([['http', 200]]);
  });

  it.each(['bad-signature', 'stale-timestamp', 'missing-signature'] as const)('rejects a request with %s', async (kind) => {
    harness = await startBotHarness({ mode: 'http' });
    const { server } = harness;
    const reply = await server.sendForgedRequest(kind, {
      type: 'app_mention',
      user: 'U0MALLORY1',
      text: `<@${server.botUserId}> version`,
      ts: '1767225600.000100',
      channel,
    });

    expect(reply.status).toBe(401);
    expect(server.store.calls('chat.postMessage')).toHaveLength(0);
  });

  it('echoes the url_verification challenge', async () => {
    harness = await startBotHarness({ mode: 'http' });
    const reply = await harness.server.sendUrlVerification('challenge-42');

    expect(JSON.parse(reply.body)).toEqual({ challenge: 'challenge-42' });
  });

  it('reports health on the events port', async () => {
    harness = await startBotHarness({ mode: 'http' });
    const response = await fetch(`http://127.0.0.1:${harness.address.eventsPort}/health`);
    const report = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(200);
    expect(report).toMatchObject({ healthy: true, mode: 'http', threadsInMemory: 0 });
  });
});
