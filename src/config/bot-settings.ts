import type { SettingKey } from './bot-config.ts';
import { settingSchema } from './config-schema.ts';

/** A setting that a flag and an environment variable can set, besides the config file. */
export interface BotSetting {
  /** Dotted name, as in the config file. */
  key: Exclude<SettingKey, 'access'>;
  /** Command-line flag without the leading `--`. */
  flag: string;
  /** Environment variable. */
  env: string;
  /** Placeholder for the value in `--help`. */
  valueName: string;
  /** Integer settings turn their flag and environment strings into numbers. */
  kind: 'string' | 'integer';
  /** Secrets are masked wherever the bot shows them. */
  secret: boolean;
}

/**
 * Every setting that is not a structured section. The schema defines each one's type,
 * default and description, and this table adds the flag and the environment variable.
 */
export const botSettings: readonly BotSetting[] = [
  { key: 'botName', flag: 'bot-name', env: 'METAFLOWBOT_NAME', valueName: 'NAME', kind: 'string', secret: false },
  { key: 'logLevel', flag: 'log-level', env: 'METAFLOWBOT_LOG_LEVEL', valueName: 'LEVEL', kind: 'string', secret: false },
  { key: 'slack.botToken', flag: 'slack-bot-token', env: 'SLACK_BOT_TOKEN', valueName: 'TOKEN', kind: 'string', secret: true },
  { key: 'slack.appToken', flag: 'slack-app-token', env: 'SLACK_APP_TOKEN', valueName: 'TOKEN', kind: 'string', secret: true },
  { key: 'slack.signingSecret', flag: 'slack-signing-secret', env: 'SLACK_SIGNING_SECRET', valueName: 'SECRET', kind: 'string', secret: true },
  { key: 'slack.mode', flag: 'slack-mode', env: 'METAFLOWBOT_SLACK_MODE', valueName: 'MODE', kind: 'string', secret: false },
  { key: 'slack.port', flag: 'slack-port', env: 'METAFLOWBOT_SLACK_PORT', valueName: 'PORT', kind: 'integer', secret: false },
  { key: 'slack.apiUrl', flag: 'slack-api-url', env: 'SLACK_API_URL', valueName: 'URL', kind: 'string', secret: false },
  { key: 'metaflow.home', flag: 'metaflow-home', env: 'METAFLOW_HOME', valueName: 'DIR', kind: 'string', secret: false },
  { key: 'metaflow.profile', flag: 'metaflow-profile', env: 'METAFLOW_PROFILE', valueName: 'NAME', kind: 'string', secret: false },
  { key: 'metaflow.datastoreRoot', flag: 'datastore-root', env: 'METAFLOW_DATASTORE_SYSROOT_LOCAL', valueName: 'DIR', kind: 'string', secret: false },
  { key: 'status.staleAfterMinutes', flag: 'stale-after-minutes', env: 'METAFLOWBOT_STALE_AFTER_MINUTES', valueName: 'MINUTES', kind: 'integer', secret: false },
  { key: 'threads.maxCached', flag: 'max-cached-threads', env: 'METAFLOWBOT_MAX_CACHED_THREADS', valueName: 'COUNT', kind: 'integer', secret: false },
  { key: 'threads.idleMinutes', flag: 'thread-idle-minutes', env: 'METAFLOWBOT_THREAD_IDLE_MINUTES', valueName: 'MINUTES', kind: 'integer', secret: false },
];

/** Flag that names the config file. */
export const configFileFlag = 'config';

/** Environment variable that names the config file when the flag is absent. */
export const configFileEnv = 'METAFLOWBOT_CONFIG';

/** One command-line flag, for the CLI's `--help`. */
export interface ConfigFlag {
  /** The flag with its value placeholder, such as `--slack-port PORT`. */
  usage: string;
  /** Description of the setting, with its environment variable and default. */
  help: string;
}

/** Every configuration flag with its help text, the config file flag first. */
export const configFlags: readonly ConfigFlag[] = [
  {
    usage: `--${configFileFlag} FILE`,
    help: `Read settings from this YAML or JSON file. Env: ${configFileEnv}.`,
  },
  ...botSettings.map(describeFlag),
];

function describeFlag(setting: BotSetting): ConfigFlag {
  const schema = settingSchema(setting.key);
  const valuesText = schema.enum ? ` One of: ${schema.enum.join(', ')}.` : '';
  const defaultText = schema.default === undefined ? '' : ` Default: ${String(schema.default)}.`;
  const secretText = setting.secret ? ' Prefer the environment variable: other users can see flags in the process list.' : '';
  return {
    usage: `--${setting.flag} ${setting.valueName}`,
    help: `${schema.description ?? ''}${valuesText} Env: ${setting.env}.${defaultText}${secretText}`,
  };
}

/** Formats `configFlags` as the options part of `--help`, one flag a line with its help indented below. */
export function formatConfigFlagsHelp(): string {
  return configFlags.map((flag) => `  ${flag.usage}\n      ${flag.help}`).join('\n');
}

/** Returns the table entry of a setting key, or `undefined` for `access` and unknown keys. */
export function findBotSetting(key: string): BotSetting | undefined {
  return botSettings.find((setting) => setting.key === key);
}
