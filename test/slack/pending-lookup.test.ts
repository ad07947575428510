import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { SlackMessage, SlackServer, ThreadRef } from '../slack-server/index.ts';
import { blockingRun, createBlockingDatastore, type BlockingDatastore } from './blocking-datastore.ts';
import { isLookupStarted, logLines, readableText, startBotHarness, waitForAnswers, type BotHarness } from './slack-bot-harness.ts';
import { decodeThreadState } from '../../src/slack/message-payload.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';

let harness: BotHarness | undefined;
let datastore: BlockingDatastore | undefined;

afterEach(async () => {
  await harness?.close();
  datastore?.remove();
  harness = undefined;
  datastore = undefined;
});

/** Starts a bot on the blocking datastore, sets the run in a new thread and asks for the blocked log. */
async function startBlockedLookup(): Promise<{ harness: BotHarness; datastore: BlockingDatastore; thread: ThreadRef }> {
  datastore = createBlockingDatastore();
  harness = await startBotHarness({ reader: new LocalDatastoreReader({ root: datastore.root, logger: silentLogger }) });
  const { server } = harness;
  const { ts } = server.postUserMessage({ channel, user: alice, text: `inspect ${blockingRun}`, mention: true });
  const thread = { channel, ts };
  await waitForAnswers(server, thread, 2);
  server.postUserMessage({ channel, user: alice, text: 'logs start', threadTs: ts });
  await server.waitForBotReply(thread, 3);
  return { harness, datastore, thread };
}

function botReplies(server: SlackServer, thread: ThreadRef): SlackMessage[] {
  return server.store.threadMessages(thread).filter((message) => message.ts !== thread.ts && message.bot_id === server.botId);
}

function revisionOf(message: SlackMessage | undefined): number {
  return Number(message?.metadata?.event_payload['revision']);
}

describe('Slack app with a pending lookup', () => {
  it('stores the pending question before the answer', async () => {
    const { harness, datastore, thread } = await startBlockedLookup();
    const [, , lookingUp] = botReplies(harness.server, thread);

    expect(lookingUp?.text).toBe(':hourglass_flowing_sand: Looking up the stdout of `start` in `LogFlow/1796413166374227`…');
    expect(decodeThreadState(lookingUp?.metadata?.event_payload)).toMatchObject({ state: 'lookingUp', context: { pending: { kind: 'logTail', target: 'start' } } });
    await datastore.release();
  });

  it('keeps the newest state when an older message is edited', async () => {
    const { harness, datastore, thread } = await startBlockedLookup();
    const { server } = harness;
    server.postUserMessage({ channel, user: alice, text: 'status', threadTs: thread.ts });
    await server.waitForBotReply(thread, 4);
    await datastore.release();
    const [, , answer, busy] = await waitForAnswers(server, thread, 4);

    expect(readableText(answer)).toContain('*stdout of `LogFlow/1796413166374227/start/1`*');
    expect(readableText(busy)).toContain('I am still looking up the stdout of `start`');
    expect(revisionOf(answer)).toBeGreaterThan(revisionOf(busy));

    await harness.restartBot();
    server.postUserMessage({ channel, user: alice, text: 'params', threadTs: thread.ts });
    const replies = await waitForAnswers(server, thread, 5);
    expect(replies[4]?.text).toBe('`LogFlow/1796413166374227` has no parameters.');
    expect(logLines(harness.logs, 'asking again a lookup that was pending when the thread was stored')).toHaveLength(0);
  });

  it('asks again a lookup pending at a restart', async () => {
    const { harness, datastore, thread } = await startBlockedLookup();
    const { server } = harness;
    await harness.restartBot();
    await datastore.release();
    server.postUserMessage({ channel, user: alice, text: 'status', threadTs: thread.ts });
    const replies = await waitForAnswers(server, thread, 5);

    expect(replies[2]?.text).toBe(':warning: I restarted before I finished looking up the stdout of `start` in `LogFlow/1796413166374227`, so I asked again further down.');
    expect(readableText(replies[3])).toContain('*stdout of `LogFlow/1796413166374227/start/1`*');
    expect(readableText(replies[4])).toContain('finished already: it succeeded');
    expect(replies.filter(isLookupStarted)).toHaveLength(0);
    expect(botReplies(server, thread)).toHaveLength(5);
    const posted = server.store.calls('chat.postMessage').map((call) => String(call.args['text']));
    expect(posted).toContain(':hourglass_flowing_sand: I restarted while I was looking up the stdout of `start` in `LogFlow/1796413166374227`, so I am looking it up again…');
  });
});
