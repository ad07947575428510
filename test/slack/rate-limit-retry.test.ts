import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { callWithRateLimitRetry, readRetryAfter } from '../../src/slack/rate-limit-retry.ts';
import { createSlackWebClient } from '../../src/slack/web-client.ts';
import { sleep } from '../slack-server/client-helpers.ts';
import { startSlackServer, type SlackServer } from '../slack-server/index.ts';

let server: SlackServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rateLimitError(target: SlackServer): Promise<unknown> {
  const client = createSlackWebClient(target.botToken, target.apiUrl, silentLogger);
  target.faults.rateLimit('auth.test', { times: 1, retryAfterSeconds: 7 });
  return client.auth.test().catch((error: unknown) => error);
}

describe('callWithRateLimitRetry', () => {
  it('reads Retry-After from a 429', async () => {
    server = await startSlackServer();
    expect(readRetryAfter(await rateLimitError(server))).toBe(7);
  });

  it('retries a rate-limited call after Retry-After', async () => {
    server = await startSlackServer();
    const client = createSlackWebClient(server.botToken, server.apiUrl, silentLogger);
    server.faults.rateLimit('auth.test', { times: 2, retryAfterSeconds: 0 });
    const result = await callWithRateLimitRetry(() => client.auth.test(), { policy: { maxRetries: 2, maxWaitMs: 1_000 }, logger: silentLogger, method: 'auth.test' });
    expect(result.user_id).toBe(server.botUserId);
    expect(server.store.calls('auth.test').map((call) => call.status)).toEqual([429, 429, 200]);
  });

  it('gives up after its retries', async () => {
    server = await startSlackServer();
    const client = createSlackWebClient(server.botToken, server.apiUrl, silentLogger);
    server.faults.rateLimit('auth.test', { times: 3, retryAfterSeconds: 0 });
    const call = callWithRateLimitRetry(() => client.auth.test(), { policy: { maxRetries: 1, maxWaitMs: 1_000 }, logger: silentLogger, method: 'auth.test' });
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(server.store.calls('auth.test')).toHaveLength(2);
  });

  it('gives up when Retry-After exceeds its wait', async () => {
    server = await startSlackServer();
    const client = createSlackWebClient(server.botToken, server.apiUrl, silentLogger);
    server.faults.rateLimit('auth.test', { times: 1, retryAfterSeconds: 600 });
    const started = Date.now();
    const call = callWithRateLimitRetry(() => client.auth.test(), { policy: { maxRetries: 5, maxWaitMs: 120_000 }, logger: silentLogger, method: 'auth.test' });
    await expect(call).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('lets other calls through while one waits', async () => {
    server = await startSlackServer();
    const client = createSlackWebClient(server.botToken, server.apiUrl, silentLogger);
    server.faults.rateLimit('auth.test', { times: 1, retryAfterSeconds: 2 });
    const waiting = callWithRateLimitRetry(() => client.auth.test(), { policy: { maxRetries: 1, maxWaitMs: 5_000 }, logger: silentLogger, method: 'auth.test' });
    await sleep(200);
    const started = Date.now();
    await client.users.info({ user: server.botUserId });
    expect(Date.now() - started).toBeLessThan(1_000);
    await waiting;
  });

  it('fails at once after the stop signal', async () => {
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const call = callWithRateLimitRetry(async () => (called = true), { policy: { maxRetries: 1, maxWaitMs: 1 }, logger: silentLogger, method: 'auth.test', signal: controller.signal });
    await expect(call).rejects.toThrow();
    expect(called).toBe(false);
  });
});
