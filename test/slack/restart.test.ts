import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { botVersion } from '../../src/cli/bot-setup.ts';
import { startSlackServer, type SlackServer, type ThreadRef } from '../slack-server/index.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { blockingRun, createBlockingDatastore, type BlockingDatastore } from './blocking-datastore.ts';
import { botBin, startChildBot, type ChildBot } from './child-bot.ts';
import { isLookupStarted, readableText, waitForAnswers } from './slack-bot-harness.ts';
import { decodeThreadState } from '../../src/slack/message-payload.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';

let server: SlackServer | undefined;
let bots: ChildBot[] = [];
let datastore: BlockingDatastore | undefined;

afterEach(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await server?.close();
  datastore?.remove();
  bots = [];
  server = undefined;
  datastore = undefined;
});

async function startBot(target: SlackServer, root: string): Promise<ChildBot> {
  const bot = await startChildBot(target, root);
  bots.push(bot);
  return bot;
}

async function say(target: SlackServer, thread: ThreadRef, text: string, total: number) {
  target.postUserMessage({ channel, user: alice, text, threadTs: thread.ts });
  return waitForAnswers(target, thread, total, 20_000);
}

describe('metaflowbot serve as a process', () => {
  it('keeps the run set across a SIGKILL', async () => {
    server = await startSlackServer();
    const first = await startBot(server, metaflowLocalRoot);
    const { ts } = server.postUserMessage({ channel, user: alice, text: 'inspect HelloFlow/1796413130413220', mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2, 20_000);
    await say(server, thread, 'params', 3);

    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const second = await startBot(server, metaflowLocalRoot);
    const replies = await say(server, thread, 'status', 4);

    expect(readableText(replies[3])).toContain('*`HelloFlow/1796413130413220`* finished already');
    expect(second.logLines().filter((line) => line['message'] === 'thread restored from Slack')).toHaveLength(1);
  });

  it('asks again a lookup pending at a SIGKILL', async () => {
    server = await startSlackServer();
    datastore = createBlockingDatastore();
    const first = await startBot(server, datastore.root);
    const { ts } = server.postUserMessage({ channel, user: alice, text: `inspect ${blockingRun}`, mention: true });
    const thread = { channel, ts };
    await waitForAnswers(server, thread, 2, 20_000);
    server.postUserMessage({ channel, user: alice, text: 'logs start', threadTs: ts });
    const [, , lookingUp] = await server.waitForBotReply(thread, 3, { timeoutMs: 20_000 });
    expect(decodeThreadState(lookingUp?.metadata?.event_payload)).toMatchObject({ state: 'lookingUp', context: { pending: { kind: 'logTail' } } });

    await first.stop('SIGKILL');
    await datastore.release();
    await startBot(server, datastore.root);
    const replies = await say(server, thread, 'status', 5);

    expect(replies[2]?.text).toContain(':warning: I restarted before I finished looking up the stdout of `start`');
    expect(readableText(replies[3])).toContain('*stdout of `LogFlow/1796413166374227/start/1`*');
    expect(readableText(replies[4])).toContain('finished already: it succeeded');
    expect(replies.filter(isLookupStarted)).toHaveLength(0);
  });

  it('stops cleanly on SIGTERM', async () => {
    server = await startSlackServer();
    const bot = await startBot(server, metaflowLocalRoot);

    expect(await bot.stop('SIGTERM')).toBe(0);
    expect(bot.logLines().map((line) => line['message'])).toContain('Slack app stopped');
  });
});

describe('metaflowbot start without Slack tokens', () => {
  it('falls back to the terminal chat', async () => {
    const child = spawn(process.execPath, [botBin, 'start', '--datastore-root', metaflowLocalRoot], {
      env: { PATH: process.env['PATH'] ?? '', HOME: '/nonexistent', METAFLOW_HOME: '/nonexistent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end('version\n');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(0);
    expect(stderr).toContain('No Slack tokens are set');
    expect(stdout).toContain(`Metaflow Bot ${botVersion}`);
  });
});
