import { afterEach, describe, expect, it } from 'vitest';
import { threadStateEventType } from '../../src/slack/message-payload.ts';
import type { MessageMetadata, SlackServer, ThreadRef } from '../slack-server/index.ts';
import { logLines, readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';
const successfulHello = 'HelloFlow/1796413130413220';

let harness: BotHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Opens a thread with the bot and sets a run in it; returns the thread after both replies. */
async function threadWithRun(server: SlackServer, pathspec = successfulHello): Promise<ThreadRef> {
  const { ts } = server.postUserMessage({ channel, user: alice, text: `inspect ${pathspec}`, mention: true });
  await waitForAnswers(server, { channel, ts }, 2);
  return { channel, ts };
}

/** A valid snapshot of a thread that inspects `runId` of HelloFlow. */
function snapshotWithRun(runId: string, revision: number): Record<string, unknown> {
  return {
    version: 1,
    state: 'ready.runSet',
    context: { run: { flow: 'HelloFlow', runId, finished: true }, candidates: [], pending: null, profile: null },
    revision,
  };
}

/** Stores `state` as the bot does: flat fields, with the state itself as JSON text. */
function payloadOf(state: Record<string, unknown>): Record<string, unknown> {
  return { version: state['version'], revision: state['revision'], thread: JSON.stringify(state) };
}

/** Stores a message as if this bot had posted it, with the given metadata. */
function insertOwnMessage(server: SlackServer, thread: ThreadRef, metadata: MessageMetadata | Record<string, unknown>): void {
  server.insertRawMessage({
    channel,
    thread_ts: thread.ts,
    text: 'a message of the bot',
    user: server.botUserId,
    bot_id: server.botId,
    app_id: server.appId,
    metadata: metadata as MessageMetadata,
  });
}

async function say(server: SlackServer, thread: ThreadRef, text: string, total: number) {
  server.postUserMessage({ channel, user: alice, text, threadTs: thread.ts });
  return waitForAnswers(server, thread, total);
}

describe('Slack app restoring threads', () => {
  it('restores a thread after a restart', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    await harness.restartBot();
    const replies = await say(server, thread, 'status', 3);

    expect(readableText(replies[2])).toContain('*`HelloFlow/1796413130413220`* finished already');
    expect(logLines(harness.logs, 'thread restored from Slack')).toHaveLength(1);
    expect(server.store.calls('conversations.replies').map((call) => call.args['include_all_metadata'])).toEqual(['true']);
  });

  it('restores a thread dropped from memory', async () => {
    harness = await startBotHarness({ bot: { threads: { maxCached: 1, idleMinutes: 60 } } });
    const { server } = harness;
    const first = await threadWithRun(server);
    await threadWithRun(server, 'HelloFlow/1796413131842466');
    const replies = await say(server, first, 'params', 3);

    expect(readableText(replies[2])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
    expect(logLines(harness.logs, 'thread restored from Slack')).toHaveLength(1);
  });

  it('reads every page of a long thread', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    for (let index = 0; index < 450; index++) {
      server.insertRawMessage({ channel, thread_ts: thread.ts, text: `chatter ${index}`, user: 'U0BOB00001' });
    }
    insertOwnMessage(server, thread, { event_type: threadStateEventType, event_payload: payloadOf(snapshotWithRun('1796413129016528', 10)) });
    await harness.restartBot();
    const replies = await say(server, thread, 'params', 4);

    expect(readableText(replies[3])).toContain('*Parameters of `HelloFlow/1796413129016528`*');
    expect(server.store.calls('conversations.replies')).toHaveLength(3);
  });

  it('ignores thread state from another app', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    server.postForeignBotMessage({
      channel,
      threadTs: thread.ts,
      text: 'not the bot',
      metadata: { event_type: threadStateEventType, event_payload: payloadOf(snapshotWithRun('1796413131842466', 999)) },
    });
    await harness.restartBot();
    const replies = await say(server, thread, 'params', 3);

    expect(readableText(replies[2])).toContain('*Parameters of `HelloFlow/1796413130413220`*');
    expect(logLines(harness.logs, 'thread state posted by another app or a person was ignored')).toHaveLength(1);
  });

  it('starts over when only another app left state', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const parent = server.postForeignBotMessage({
      channel,
      text: 'posted by another app',
      metadata: { event_type: threadStateEventType, event_payload: payloadOf(snapshotWithRun('1796413131842466', 3)) },
      deliverEvent: false,
    });
    server.postUserMessage({ channel, user: alice, text: 'status', threadTs: parent.ts, mention: true });
    const replies = await waitForAnswers(server, { channel, ts: parent.ts }, 3);

    expect(replies[0]?.text).toBe('I ignored thread state that another app or a person posted here, so this thread starts over: no run is set.');
    expect(readableText(replies[2])).toContain('No run is set');
  });

  it('ignores a damaged snapshot', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    insertOwnMessage(server, thread, { event_type: threadStateEventType, event_payload: payloadOf({ version: 1, state: 'ready.runSet', context: { run: 'HelloFlow' }, revision: 50 }) });
    await harness.restartBot();
    const replies = await say(server, thread, 'params', 6);

    expect(replies[3]?.text).toBe('The state I saved in this thread is damaged and I did not use it, so this thread starts over: no run is set.');
    expect(readableText(replies[4])).toContain("Hi, I'm *Metaflow Bot*");
    expect(readableText(replies[5])).toContain('No run is set');
    expect(logLines(harness.logs, 'thread state in Slack was not used; the thread starts over')[0]).toMatchObject({ problem: 'invalid' });
  });

  it('says nothing more once it started over', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    insertOwnMessage(server, thread, { event_type: threadStateEventType, event_payload: payloadOf({ version: 1, state: 'bogus', context: {}, revision: 50 }) });
    await harness.restartBot();
    await say(server, thread, 'version', 5);
    await harness.restartBot();
    const replies = await say(server, thread, 'version', 6);

    expect(replies[5]?.text).toBe('Metaflow Bot 0.0.0-test');
    expect(logLines(harness.logs, 'thread state in Slack was not used; the thread starts over')).toHaveLength(1);
  });

  it('starts over on a newer snapshot version', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const thread = await threadWithRun(server);
    insertOwnMessage(server, thread, { event_type: threadStateEventType, event_payload: payloadOf({ ...snapshotWithRun('1796413131842466', 9), version: 2 }) });
    await harness.restartBot();
    const replies = await say(server, thread, 'version', 5);

    expect(replies[3]?.text).toBe("A newer version of me saved this thread's state, which this version cannot read, so this thread starts over: no run is set.");
  });

  it('starts over on a snapshot without payload', async () => {
    harness = await startBotHarness();
    const { server } = harness;
    const parent = server.postUserMessage({ channel, user: 'U0BOB00001', text: 'a question for the channel' });
    const thread = { channel, ts: parent.ts };
    insertOwnMessage(server, thread, { event_type: threadStateEventType });
    const replies = await say(server, thread, 'version', 4);

    expect(replies[1]?.text).toBe('I found no saved state of mine in this thread, so this thread starts over: no run is set.');
    expect(logLines(harness.logs, 'thread state in Slack was not used; the thread starts over')[0]).toMatchObject({ problem: 'missingPayload' });
  });
});
