/** The workspace, app and bot that the server plays, with the tokens it accepts. */
export interface SlackIdentity {
  teamId: string;
  teamName: string;
  /** Bot token (`xoxb-…`) for every Web API method except `apps.connections.open`. */
  botToken: string;
  /** App-level token (`xapp-…`), accepted only by `apps.connections.open`. */
  appToken: string;
  /** User id of the bot user, the id that `<@…>` mentions of the bot contain. */
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

/** Fixed ids and tokens, so test output and snapshots are stable between runs. */
export const defaultIdentity: SlackIdentity = {
  teamId: 'T0TEST0001',
  teamName: 'Metaflow Bot Tests',
  botToken: 'xoxb-0000000001-test-bot-token',
  appToken: 'xapp-1-A0APP00001-test-app-token',
  botUserId: 'U0BOT00001',
  botId: 'B0BOT00001',
  appId: 'A0APP00001',
  botName: 'metaflowbot',
};
