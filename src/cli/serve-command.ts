import { SlackBot } from '../slack/slack-bot.ts';
import { lookupTimeoutMs, setUpBot } from './bot-setup.ts';
import { runChatCommand } from './chat-command.ts';
import { splitFlags } from './split-flags.ts';

/** Environment variables whose absence sends `metaflowbot start` to the terminal chat. */
const slackTokenVariables = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

/** Signals that stop the bot; a second one ends the process at once. */
const stopSignals = ['SIGTERM', 'SIGINT'] as const;

/**
 * `metaflowbot serve` runs the Slack app until SIGTERM or SIGINT. `metaflowbot start` does the
 * same when Slack tokens are set, and otherwise starts the terminal chat and says why.
 * Own flags: `--listen-host HOST` (HTTP mode and the health endpoint; default 127.0.0.1) and
 * `--health-port PORT` (a `GET /health` endpoint in Socket Mode).
 */
export async function runServeCommand(argv: readonly string[], options: { fallBackToChat: boolean }): Promise<number> {
  const hasTokens = slackTokenVariables.some((name) => process.env[name]) || argv.some((flag) => flag.startsWith('--slack-'));
  if (!hasTokens && options.fallBackToChat) {
    return runChatCommand(argv, 'No Slack tokens are set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET), so the bot starts in the terminal chat.');
  }

  const { own, rest, positionals } = splitFlags(argv, [], ['listen-host', 'health-port']);
  if (positionals.length > 0) {
    process.stderr.write(`serve takes no arguments, but got "${positionals.join(' ')}".\n`);
    return 2;
  }
  const healthPort = own['health-port'] === undefined ? undefined : parsePort(own['health-port']);
  if (healthPort === null) {
    process.stderr.write(`--health-port must be a port number from 0 to 65535, but got "${String(own['health-port'])}".\n`);
    return 2;
  }

  // No sample fallback, so that a Slack workspace is never served demo data by accident.
  const setup = await setUpBot({ argv: rest, env: process.env, cwd: process.cwd(), requireSlack: true, allowSample: false });
  const bot = new SlackBot({
    slack: setup.config.slack,
    threads: setup.config.threads,
    lookupContext: setup.lookupContext,
    replyContext: setup.replyContext,
    lookupTimeoutMs,
    logger: setup.logger,
    listenHost: typeof own['listen-host'] === 'string' ? own['listen-host'] : '127.0.0.1',
    ...(healthPort === undefined ? {} : { healthPort }),
  });

  const stopRequested = waitForStopSignal();
  try {
    await bot.start();
  } catch (error) {
    await bot.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the Slack app could not start against ${setup.config.slack.apiUrl}: ${reason}. ` +
        'Check the tokens, SLACK_API_URL and the network, then start it again.',
      { cause: error },
    );
  }
  const signal = await stopRequested;
  setup.logger.info('stop signal received', { signal });
  await bot.stop();
  return 0;
}

/** Resolves with the first stop signal; after it, a second one exits at once with 128 + its number. */
function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      for (const name of stopSignals) {
        process.off(name, onSignal);
        process.once(name, (second) => process.exit(second === 'SIGINT' ? 130 : 143));
      }
      resolve(signal);
    };
    for (const name of stopSignals) {
      process.on(name, onSignal);
    }
  });
}

function parsePort(value: string | true): number | null {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : null;
}
