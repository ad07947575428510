import { afterEach, describe, expect, it } from 'vitest';
import { anyMethod, type ThreadRef } from '../slack-server/index.ts';
import { logLines, readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';

const alice = 'U0ALICE001';

let harness: BotHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Slack app under rate limits', () => {
  it('delivers every reply once through a 429 storm', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    server.faults.rateLimit(anyMethod, { times: 6, retryAfterSeconds: 1 });
    const started = Date.now();
    const threads: ThreadRef[] = ['C0ONE00001', 'C0TWO00002', 'C0THREE003'].map((channel) => ({
      channel,
      ts: server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true }).ts,
    }));
    const answered = await Promise.all(threads.map((thread) => waitForAnswers(server, thread, 2, 20_000)));

    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(server.store.calls().filter((call) => call.status === 429)).toHaveLength(6);
    for (const replies of answered) {
      expect(replies).toHaveLength(2);
      expect(readableText(replies[1])).toContain('*`HelloFlow/1796413130413220`* by carol: succeeded');
    }
    expect(logLines(harness.logs, 'Slack rate-limited a call; retrying after Retry-After')).toHaveLength(6);
  });

  it('keeps the order of replies in a thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel: 'C0ONE00001', user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const thread = { channel: 'C0ONE00001', ts };
    await waitForAnswers(server, thread, 2);
    server.faults.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    server.postUserMessage({ channel: thread.channel, user: alice, text: 'version', threadTs: ts });
    server.postUserMessage({ channel: thread.channel, user: alice, text: 'params', threadTs: ts });
    const replies = await waitForAnswers(server, thread, 4, 20_000);

    expect(replies[2]?.text).toBe('Metaflow Bot 0.0.0-test');
    expect(readableText(replies[3])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
  });

  it('logs a reply it could not deliver and serves other threads', async () => {
    harness = await startBotHarness({ bot: { rateLimitPolicy: { maxRetries: 1, maxWaitMs: 5_000 } } });
    const { server } = harness;
    server.faults.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    const lost = server.postUserMessage({ channel: 'C0ONE00001', user: alice, text: 'version', mention: true });
    await waitFor(() => logLines(harness?.logs ?? [], 'reply could not be delivered').length > 0);
    const { ts } = server.postUserMessage({ channel: 'C0TWO00002', user: alice, text: 'version', mention: true });
    const replies = await waitForAnswers(server, { channel: 'C0TWO00002', ts }, 2);

    expect(replies[1]?.text).toBe('Metaflow Bot 0.0.0-test');
    expect(logLines(harness.logs, 'reply could not be delivered')[0]).toMatchObject({ thread: `C0ONE00001/${lost.ts}` });
    expect(logLines(harness.logs, 'Slack rate limit outlasted the retry policy; the call failed')).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`The condition did not hold within ${timeoutMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
