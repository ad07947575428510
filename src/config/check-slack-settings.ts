import type { BotConfig, SettingKey } from './bot-config.ts';
import { findBotSetting } from './bot-settings.ts';
import { ConfigError } from './config-error.ts';

/**
 * Throws a `missing_setting` `ConfigError` unless the Slack settings that the configured
 * mode needs are all set: the bot token always, the app token in socket mode and the
 * signing secret in HTTP mode. The message lists every missing setting at once.
 */
export function checkSlackSettings(config: BotConfig): void {
  const missing: SettingKey[] = [];
  if (!config.slack.botToken) {
    missing.push('slack.botToken');
  }
  if (config.slack.mode === 'socket' && !config.slack.appToken) {
    missing.push('slack.appToken');
  }
  if (config.slack.mode === 'http' && !config.slack.signingSecret) {
    missing.push('slack.signingSecret');
  }

  const [first] = missing;
  if (first === undefined) {
    return;
  }
  const listed = missing.map(describeWhereToSet).join('; ');
  const message = `Missing Slack settings for ${config.slack.mode} mode: ${listed}. Set each one in the environment, on the command line or in the config file.`;
  throw new ConfigError('missing_setting', first, message);
}

function describeWhereToSet(key: SettingKey): string {
  const setting = findBotSetting(key);
  return setting ? `${key} (environment variable ${setting.env}, flag --${setting.flag})` : key;
}
