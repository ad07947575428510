import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SlackServer } from '../slack-server/index.ts';

/** The command line entry point, as `npm start` and the Dockerfile run it. */
export const botBin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/metaflowbot.js');

/** `metaflowbot serve` running as a child process against the loopback Slack server. */
export interface ChildBot {
  child: ChildProcess;
  /** The JSON log lines the bot wrote to stderr so far. */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code, or with the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Ends the process with `signal` (SIGKILL unless given) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

/** Time a child bot may take from spawn to its Socket Mode connection, in milliseconds. */
const startTimeoutMs = 20_000;

/**
 * Starts `node bin/metaflowbot.js serve --datastore-root <root>` with the server's tokens and
 * API URL, a fresh home folder without Metaflow profiles, and debug logging. Resolves once the
 * bot logged its Socket Mode connection.
 */
export async function startChildBot(server: SlackServer, datastoreRoot: string): Promise<ChildBot> {
  const home = mkdtempSync(path.join(tmpdir(), 'metaflowbot-home-'));
  const child = spawn(process.execPath, [botBin, 'serve', '--datastore-root', datastoreRoot], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      METAFLOW_HOME: home,
      SLACK_BOT_TOKEN: server.botToken,
      SLACK_APP_TOKEN: server.appToken,
      SLACK_API_URL: server.apiUrl,
      METAFLOWBOT_LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout?.resume();
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => {
      rmSync(home, { recursive: true, force: true });
      resolve(code ?? signal);
    });
  });
  const logLines = (): Record<string, unknown>[] =>
    stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const bot: ChildBot = {
    child,
    logLines,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
      return exited;
    },
  };
  await waitForLog(bot, 'Socket Mode connected');
  return bot;
}

/** Resolves once the bot logged `message`; rejects when it exits first or takes too long. */
async function waitForLog(bot: ChildBot, message: string): Promise<void> {
  const deadline = Date.now() + startTimeoutMs;
  let ended = false;
  void bot.exited.then(() => {
    ended = true;
  });
  while (!bot.logLines().some((line) => line['message'] === message)) {
    if (ended || Date.now() > deadline) {
      await bot.stop();
      const seen = bot.logLines().map((line) => String(line['message'])).join(' | ');
      throw new Error(`The bot did not log "${message}" ${ended ? 'before it exited' : `within ${startTimeoutMs} ms`}. Its log: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
