import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSlackServer, type SlackServer, type ThreadRef } from '../test/slack-server/index.ts';
import { formatMs, markdownTable } from './markdown-table.ts';
import { summarize, type Stats } from './stats.ts';

/** Memory of the bot process as its health endpoint reports it, in MiB. */
export interface BotMemory {
  rssMiB: number;
  /** V8 heap in use, garbage not yet collected included. */
  heapUsedMiB: number;
  threadsInMemory: number;
}

/** Figures of `benchSlackThreads`. */
export interface SlackThreadsFigures {
  /** The bot once connected, before any thread. */
  idle: BotMemory;
  /** The bot right after it opened `liveThreads` threads. */
  afterFill: BotMemory;
  /** The bot every `restSampleSeconds` after the threads were opened, with no events meanwhile. */
  atRest: (BotMemory & { seconds: number })[];
  /** Seconds the bot took to open the threads: a mention that sets a run in each. */
  fillSeconds: number;
  /**
   * Milliseconds from spawning `metaflowbot serve` to the first correct answer in an old thread,
   * with `oldThreads` threads stored in Slack: the first 10, then those and the `liveThreads` more.
   */
  firstReply: { oldThreads: number; ms: Stats }[];
}

/** Settings of `benchSlackThreads`; the defaults are the figures in docs/performance.md. */
export interface SlackThreadsBenchOptions {
  liveThreads?: number;
  /** Restarts measured per thread count. */
  repeats?: number;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const botBin = path.join(repoRoot, 'bin', 'metaflowbot.js');
const sampleRoot = path.join(repoRoot, 'sample');

/** A thread the bench opened, with the run it set. */
interface BenchThread extends ThreadRef {
  runId: string;
}

/** HelloFlow runs of the bundled sample; thread `i` inspects run `i mod 5`. */
const sampleRuns = ['1796413087886853', '1796413091695377', '1796413101400502', '1796413107174438', '1796413109658009'];

/** Threads spread over this many channels, as the loopback server searches a channel's messages one by one. */
const channelCount = 100;

/**
 * Mentions sent before waiting for their answers. Twenty at a time is a busy workspace; with
 * hundreds at once the V8 heap grows to hold their garbage and RSS measures the burst instead
 * of the threads.
 */
const batchSize = 20;

/**
 * Seconds between readings of the memory at rest, and their count. V8 returns the memory of
 * collected garbage to the system only after the process has been idle for a while, if at all.
 */
const restSampleSeconds = 20;
const restSamples = 6;

/** Port of the bot's health endpoint, which reports its memory. */
const healthPort = 18_473;

/**
 * Runs `metaflowbot serve` as a child process against the loopback Slack server on the bundled
 * sample. Measures the bot's memory (from its health endpoint) with `liveThreads` threads in
 * memory, each with a run set, and the time from spawning a fresh process to its answer in an
 * old thread, with 10 and with `liveThreads + 10` old threads in Slack.
 */
export async function benchSlackThreads(options: SlackThreadsBenchOptions = {}): Promise<SlackThreadsFigures> {
  const liveThreads = options.liveThreads ?? 10_000;
  const repeats = options.repeats ?? 5;
  const server = await startSlackServer({ pingIntervalMs: 0 });
  const home = mkdtempSync(path.join(tmpdir(), 'metaflowbot-bench-'));
  try {
    const threads = await openThreads(server, home, 0, 10);
    const few = { oldThreads: threads.length, ms: await measureFirstReplies(server, home, threads, repeats) };

    const bot = await startBot(server, home, ['--health-port', String(healthPort)]);
    const idle = await readMemory();
    const started = performance.now();
    threads.push(...(await fillThreads(server, threads.length, liveThreads)));
    const fillSeconds = (performance.now() - started) / 1_000;
    const afterFill = await readMemory();
    const atRest: SlackThreadsFigures['atRest'] = [];
    for (let sample = 1; sample <= restSamples; sample++) {
      await new Promise((resolve) => setTimeout(resolve, restSampleSeconds * 1_000));
      atRest.push({ seconds: sample * restSampleSeconds, ...(await readMemory()) });
    }
    await stopBot(bot);

    const many = await measureFirstReplies(server, home, threads.slice(few.oldThreads), repeats);
    return {
      idle,
      afterFill,
      atRest,
      fillSeconds,
      firstReply: [few, { oldThreads: threads.length, ms: many }],
    };
  } finally {
    // A failed step leaves its bot running; end every bot this benchmark started.
    await Promise.all([...runningBots].map((bot) => stopBot(bot)));
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** Bots spawned by this benchmark that have not exited yet. */
const runningBots = new Set<ChildProcess>();

/** Starts a bot, opens `count` threads with it and stops it; returns the threads. */
async function openThreads(server: SlackServer, home: string, first: number, count: number): Promise<BenchThread[]> {
  const bot = await startBot(server, home);
  const threads = await fillThreads(server, first, count);
  await stopBot(bot);
  return threads;
}

/** Mentions the bot in `count` new threads, in batches, and waits until each has its answer. */
async function fillThreads(server: SlackServer, first: number, count: number): Promise<BenchThread[]> {
  const threads: BenchThread[] = [];
  for (let offset = 0; offset < count; offset += batchSize) {
    const answeredBefore = server.store.calls('chat.update').length;
    const size = Math.min(batchSize, count - offset);
    for (let index = first + offset; index < first + offset + size; index++) {
      const channel = `C0BENCH${String(index % channelCount).padStart(3, '0')}`;
      const runId = sampleRuns[index % sampleRuns.length] ?? '';
      const { ts } = server.postUserMessage({ channel, user: 'U0BENCH001', text: `inspect HelloFlow/${runId}`, mention: true });
      threads.push({ channel, ts, runId });
    }
    await waitUntil(() => server.store.calls('chat.update').length >= answeredBefore + size, 120_000);
  }
  return threads;
}

/** Spawns a bot per repeat with a `params` question already waiting in an old thread, and times its answer. */
async function measureFirstReplies(server: SlackServer, home: string, threads: readonly BenchThread[], repeats: number): Promise<Stats> {
  const samples: number[] = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const index = Math.floor((threads.length * (repeat + 0.5)) / repeats);
    const thread = threads[index];
    if (!thread) {
      throw new Error(`No thread ${index} to ask in.`);
    }
    const expected = `*Parameters of \`HelloFlow/${thread.runId}\`*`;
    server.postUserMessage({ channel: thread.channel, user: 'U0BENCH001', text: 'params', threadTs: thread.ts });
    const started = performance.now();
    const bot = spawnBot(server, home);
    await waitUntil(() => server.store.threadMessages(thread).some((message) => JSON.stringify(message.blocks ?? []).includes(expected)), 30_000);
    samples.push(performance.now() - started);
    await stopBot(bot);
  }
  return summarize(samples);
}

function spawnBot(server: SlackServer, home: string, flags: readonly string[] = []): ChildProcess {
  const bot = spawnBotProcess(server, home, flags);
  runningBots.add(bot);
  bot.once('exit', () => runningBots.delete(bot));
  return bot;
}

function spawnBotProcess(server: SlackServer, home: string, flags: readonly string[]): ChildProcess {
  return spawn(process.execPath, [botBin, 'serve', '--datastore-root', sampleRoot, '--max-cached-threads', '20000', ...flags], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      METAFLOW_HOME: home,
      SLACK_BOT_TOKEN: server.botToken,
      SLACK_APP_TOKEN: server.appToken,
      SLACK_API_URL: server.apiUrl,
      METAFLOWBOT_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Spawns a bot and resolves once it has opened a Socket Mode connection. */
async function startBot(server: SlackServer, home: string, flags: readonly string[] = []): Promise<ChildProcess> {
  const opened = server.store.socketConnections().length;
  const bot = spawnBot(server, home, flags);
  await server.waitForConnections(opened + 1, { timeoutMs: 30_000 });
  return bot;
}

async function stopBot(bot: ChildProcess): Promise<void> {
  if (bot.exitCode !== null || bot.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => bot.once('exit', resolve));
  bot.kill('SIGKILL');
  await exited;
}

async function readMemory(): Promise<BotMemory> {
  const response = await fetch(`http://127.0.0.1:${healthPort}/health`);
  const report = (await response.json()) as BotMemory;
  return { rssMiB: report.rssMiB, heapUsedMiB: report.heapUsedMiB, threadsInMemory: report.threadsInMemory };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Formats the figures as a Markdown table for docs/performance.md. */
export function formatSlackThreadsTable(figures: SlackThreadsFigures): string {
  const memoryRow = (label: string, memory: BotMemory): string[] => [
    label,
    memory.threadsInMemory.toLocaleString('en-US'),
    `${memory.rssMiB} MiB`,
    `${memory.heapUsedMiB} MiB`,
  ];
  const memory = markdownTable(
    ['bot process', 'threads in memory', 'RSS', 'V8 heap in use'],
    [
      memoryRow('connected, before any thread', figures.idle),
      memoryRow(`right after opening the threads (${Math.round(figures.fillSeconds)} s)`, figures.afterFill),
      ...figures.atRest.map((memory) => memoryRow(`${memory.seconds} s later, without events`, memory)),
    ],
  );
  const replies = markdownTable(
    ['old threads in Slack', 'process start to first correct answer, median', 'min', 'max', 'runs'],
    figures.firstReply.map(({ oldThreads, ms }) => [
      oldThreads.toLocaleString('en-US'),
      formatMs(ms.median),
      formatMs(ms.min),
      formatMs(ms.max),
      String(ms.samples),
    ]),
  );
  return `${memory}

${replies}`;
}

// `tsx bench/slack-threads.ts [live threads]` runs the bench alone and prints its figures as JSON and as tables.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const liveThreads = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
  const figures = await benchSlackThreads(liveThreads === undefined ? {} : { liveThreads });
  console.log(JSON.stringify(figures, null, 2));
  console.log(formatSlackThreadsTable(figures));
}
