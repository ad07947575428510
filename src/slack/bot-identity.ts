import type { SlackWebClient } from './web-client.ts';

/** Who the bot is in the workspace, from `auth.test`. */
export interface BotIdentity {
  /** The bot user's id, the one that `<@…>` mentions of the bot contain. */
  userId: string;
  botId: string;
  /** The app's id; `auth.test` may leave it out, and then only `botId` identifies the bot's messages. */
  appId: string | null;
  teamId: string | null;
}

/** The author fields of a message as the Web API and the Events API return them. */
export interface MessageAuthor {
  bot_id?: unknown;
  app_id?: unknown;
}

/**
 * Asks Slack who the bot token belongs to. Throws when the answer has no bot id, which means the
 * token is not a bot token.
 */
export async function fetchBotIdentity(client: SlackWebClient): Promise<BotIdentity> {
  const result = await client.auth.test();
  if (!result.user_id || !result.bot_id) {
    throw new Error('auth.test returned no bot id for the bot token; SLACK_BOT_TOKEN must be a bot token (xoxb-…).');
  }
  return { userId: result.user_id, botId: result.bot_id, appId: result.app_id ?? null, teamId: result.team_id ?? null };
}

/**
 * Whether this bot posted a message: its `bot_id` is ours, and so is its `app_id` when the
 * message and `auth.test` both name one.
 */
export function isOwnMessage(message: MessageAuthor, identity: BotIdentity): boolean {
  if (message.bot_id !== identity.botId) {
    return false;
  }
  return identity.appId === null || message.app_id === undefined || message.app_id === identity.appId;
}
