import { afterEach, describe, expect, it } from 'vitest';
import type { SlackMessage, SlackServer, ThreadRef } from '../slack-server/index.ts';
import { isLookupStarted, readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';
import { decodeThreadState, threadStateEventType } from '../../src/slack/message-payload.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';
const bob = 'U0BOB00001';

let harness: BotHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Posts a reply in the thread and returns every bot reply there once `total` are answered. */
async function say(server: SlackServer, thread: ThreadRef, text: string, total: number): Promise<SlackMessage[]> {
  server.postUserMessage({ channel: thread.channel, user: alice, text, threadTs: thread.ts });
  return waitForAnswers(server, thread, total);
}

function stateOf(message: SlackMessage | undefined): Record<string, unknown> | undefined {
  return decodeThreadState(message?.metadata?.event_payload) as Record<string, unknown> | undefined;
}

describe('Slack app over Socket Mode', () => {
  it('holds a whole conversation in a thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow', mention: true });
    const thread = { channel, ts };

    const listed = await waitForAnswers(server, thread, 2);
    expect(readableText(listed[0])).toContain("Hi, I'm *Metaflow Bot*");
    expect(readableText(listed[1])).toContain('2. `HelloFlow/1796413130413220`');

    const chosen = await say(server, thread, '2', 3);
    expect(readableText(chosen[2])).toContain('*`HelloFlow/1796413130413220`* by carol: succeeded');
    expect(stateOf(chosen[2])).toMatchObject({ state: 'ready.runSet', context: { run: { flow: 'HelloFlow', runId: '1796413130413220' } } });

    expect(readableText((await say(server, thread, 'status', 4))[3])).toContain('finished already: it succeeded');
    expect(readableText((await say(server, thread, 'params', 5))[4])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
    expect(readableText((await say(server, thread, 'data', 6))[5])).toContain('*Artifacts of the end task `HelloFlow/1796413130413220/end/3`*');
    expect(readableText((await say(server, thread, 'logs', 7))[6])).toContain('*Steps of `HelloFlow/1796413130413220`*');

    const forgotten = await say(server, thread, 'forget', 8);
    expect(forgotten[7]?.text).toBe('Forgot `HelloFlow/1796413130413220`. No run is set in this thread now.');
    expect(stateOf(forgotten[7])).toMatchObject({ state: 'ready.noRunSet', context: { run: null } });
  });

  it('puts every reply in the thread with its state', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2);
    const replies = await say(server, thread, 'params', 3);

    for (const reply of replies) {
      expect(reply.thread_ts).toBe(ts);
      expect(reply.metadata?.event_type).toBe(threadStateEventType);
    }
    const revisions = replies.map((reply) => stateOf(reply)?.['revision']);
    expect(revisions).toEqual([...revisions].sort((left, right) => Number(left) - Number(right)));
    expect(new Set(revisions).size).toBe(replies.length);
  });

  it('replaces the "Looking up" message with the answer', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const replies = await waitForAnswers(server, { channel, ts }, 2);
    const posted = server.store.calls('chat.postMessage').map((call) => String(call.args['text']));

    expect(posted.some((text) => text.startsWith(':hourglass_flowing_sand: Looking up the run `HelloFlow/1796413130413220`'))).toBe(true);
    expect(replies.filter(isLookupStarted)).toHaveLength(0);
    expect(server.store.calls('chat.update')).toHaveLength(1);
    expect(replies[1]?.edited).toBeDefined();
  });

  it('uploads a long log into the thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect LogFlow/1796413166374227', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2);
    server.postUserMessage({ channel, user: alice, text: 'logs chatty', threadTs: ts });
    const replies = await waitForAnswers(server, thread, 4);

    const [file] = server.store.files();
    expect(readableText(replies[2])).toContain('40 of 20000 lines');
    expect(replies[2]?.metadata?.event_type).toBe(threadStateEventType);
    expect(replies[3]?.files?.[0]?.name).toBe(file?.filename);
    expect(file?.threadTs).toBe(ts);
    expect(file?.completed).toBe(true);
    expect(file?.bytes?.toString('utf8').split('\n')).toHaveLength(20_000);
  });

  it('answers a direct message in its thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel: 'D0ALICE001', user: alice, text: 'version' });
    const replies = await waitForAnswers(server, { channel: 'D0ALICE001', ts }, 2);

    expect(replies[1]?.text).toBe('Metaflow Bot 0.0.0-test');
    expect(replies[1]?.thread_ts).toBe(ts);
  });

  it('ignores channel messages outside its threads', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const plain = server.postUserMessage({ channel, user: alice, text: 'status' });
    const humanThread = server.postUserMessage({ channel, user: bob, text: 'lunch?' });
    server.postUserMessage({ channel, user: alice, text: 'status', threadTs: humanThread.ts });
    const mention = server.postUserMessage({ channel, user: alice, text: 'version', mention: true });
    await waitForAnswers(server, { channel, ts: mention.ts }, 2);
    await server.waitForEventState(plain.eventId, 'acked');

    const botMessages = server.store.allMessages().filter((message) => message.bot_id === server.botId);
    expect(botMessages.map((message) => message.thread_ts)).toEqual([mention.ts, mention.ts]);
  });

  it('answers plain replies in its own thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'hello', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 1);
    server.postUserMessage({ channel, user: bob, text: 'version', threadTs: ts });
    const replies = await waitForAnswers(server, thread, 2);

    expect(replies[1]?.text).toBe('Metaflow Bot 0.0.0-test');
  });

  it('ignores its own messages and other bots', async () => {
    harness = await startBotHarness({ serverOptions: { echoBotMessages: true } });
    const { server } = harness;
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'version', mention: true });
    await waitForAnswers(server, { channel, ts }, 2);
    server.postForeignBotMessage({ channel, text: `<@${server.botUserId}> version`, threadTs: ts });
    const late = server.postUserMessage({ channel, user: alice, text: 'version', threadTs: ts });
    await waitForAnswers(server, { channel, ts }, 3);
    await server.waitForEventState(late.eventId, 'acked');

    const botReplies = server.store.threadMessages({ channel, ts }).filter((message) => message.bot_id === server.botId);
    expect(botReplies).toHaveLength(3);
  });
});
