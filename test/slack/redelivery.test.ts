import { afterEach, describe, expect, it } from 'vitest';
import { logLines, readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';

let harness: BotHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Slack app with redelivered events', () => {
  it('answers an event delivered twice once', async () => {
    harness = await startBotHarness({ serverOptions: { ackTimeoutMs: 500 } });
    const { server } = harness;
    server.faults.delayAcks(2_000);
    const { ts, eventId } = server.postUserMessage({ channel, user: alice, text: 'version', mention: true });
    await waitForAnswers(server, { channel, ts }, 2);
    server.faults.delayAcks(0);
    await server.waitForEventState(eventId, 'acked', { timeoutMs: 5_000 });
    const replies = await waitForAnswers(server, { channel, ts }, 2);

    expect(server.store.deliveryAttempts(eventId).length).toBeGreaterThanOrEqual(2);
    expect(replies).toHaveLength(2);
    expect(server.store.calls('chat.postMessage')).toHaveLength(2);
    expect(logLines(harness.logs, 'redelivered event ignored')[0]).toMatchObject({ eventId, retryNum: 1 });
  });

  it('answers an event redelivered after a reconnect once', async () => {
    harness = await startBotHarness({ serverOptions: { ackTimeoutMs: 1_000 } });
    const { server } = harness;
    server.faults.delayAcks(5_000);
    const { ts, eventId } = server.postUserMessage({ channel, user: alice, text: 'version', mention: true });
    await waitForAnswers(server, { channel, ts }, 2);
    server.faults.delayAcks(0);
    server.dropSockets();
    await server.waitForConnections(2, { timeoutMs: 5_000 });
    await server.waitForEventState(eventId, 'acked', { timeoutMs: 5_000 });

    const connections = server.store.deliveryAttempts(eventId).map((attempt) => attempt.connectionId);
    expect(new Set(connections).size).toBe(2);
    expect(server.store.calls('chat.postMessage')).toHaveLength(2);
    expect(logLines(harness.logs, 'redelivered event ignored')).toHaveLength(1);
  });

  it('reconnects after a dropped socket', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2);
    server.dropSockets();
    await server.waitForConnections(2, { timeoutMs: 5_000 });
    server.postUserMessage({ channel, user: alice, text: 'params', threadTs: ts });
    const replies = await waitForAnswers(server, thread, 3);

    expect(readableText(replies[2])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
    expect(logLines(harness.logs, 'Socket Mode connection closed; the client reconnects')).toHaveLength(1);
  });

  it('reconnects when Slack asks it to', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    server.sendDisconnect('refresh_requested');
    await server.waitForConnections(2, { timeoutMs: 5_000 });
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'version', mention: true });
    const replies = await waitForAnswers(server, { channel, ts }, 2);

    expect(replies[1]?.text).toBe('Metaflow Bot 0.0.0-test');
  });
});
