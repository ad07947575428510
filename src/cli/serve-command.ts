import { runChatCommand } from './chat-command.ts';

/** Environment variables whose absence sends `metaflowbot start` to the terminal chat. */
const slackTokenVariables = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

/**
 * `metaflowbot serve` runs the Slack app. `metaflowbot start` does the same when Slack
 * tokens are set, and otherwise starts the terminal chat and says why.
 */
export async function runServeCommand(argv: readonly string[], options: { fallBackToChat: boolean }): Promise<number> {
  const hasTokens = slackTokenVariables.some((name) => process.env[name]) || argv.some((flag) => flag.startsWith('--slack-'));
  if (!hasTokens && options.fallBackToChat) {
    return runChatCommand(argv, 'No Slack tokens are set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET), so the bot starts in the terminal chat.');
  }
  // TODO: the Slack app is being built; until it lands, serving in Slack reports that it is missing.
  process.stderr.write('Running in Slack is not available in this version yet; use `metaflowbot chat`.\n');
  return 1;
}
