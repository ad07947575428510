import path from 'node:path';
import type { LogLevel } from '../logger.ts';
import type { BotConfig, SettingSources, SlackMode } from './bot-config.ts';
import { configFileEnv, findBotSetting } from './bot-settings.ts';
import { checkSlackSettings } from './check-slack-settings.ts';
import type { AccessRules } from './check-profile-access.ts';
import { validateConfigShape } from './config-schema.ts';
import type { FieldDescription } from './describe-schema-error.ts';
import { mergeSettings } from './merge-settings.ts';
import { parseConfigFlags } from './parse-config-flags.ts';
import { readConfigFile } from './read-config-file.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

/** Inputs of `loadBotConfig`, passed in so that tests need no real process state. */
export interface LoadBotConfigOptions {
  /** Configuration flags only, already split, such as `['--slack-mode', 'http']`. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Folder that relative paths from flags and the environment are relative to. */
  cwd: string;
  /**
   * When true (the default), missing Slack settings that the mode needs are an error.
   * Pass false for commands that do not connect to Slack, such as `chat` and `config show`.
   */
  requireSlack?: boolean;
}

/** The validated configuration, where each setting came from, and the config file read. */
export interface LoadedBotConfig {
  config: BotConfig;
  sources: SettingSources;
  /** Absolute path of the config file, or `undefined` when none was given. */
  configFile: string | undefined;
}

/** The merged data once the schema accepted it and defaults filled it. */
interface ValidatedData {
  botName: string;
  logLevel: LogLevel;
  slack: { botToken?: string; appToken?: string; signingSecret?: string; mode: SlackMode; port: number; apiUrl: string };
  metaflow: { home: string; profile: string; datastoreRoot?: string };
  status: { staleAfterMinutes: number };
  threads: { maxCached: number; idleMinutes: number };
  access?: AccessRules;
}

/**
 * Loads the bot's configuration from flags, then environment variables, then the config
 * file (`--config` or `METAFLOWBOT_CONFIG`), then defaults, and validates it against
 * `docs/schema/config.schema.json`. Throws a `ConfigError` on the first problem, so the
 * bot never starts half-configured.
 */
export async function loadBotConfig(options: LoadBotConfigOptions): Promise<LoadedBotConfig> {
  const flags = parseConfigFlags(options.argv);
  const configFileSetting = flags.configFile ?? (options.env[configFileEnv] || undefined);
  const configFile = configFileSetting === undefined ? undefined : resolveConfigPath(configFileSetting, options.cwd, options.env);

  const fileData = configFile === undefined ? {} : await readConfigFile(configFile);
  validateConfigShape(fileData, (field) => describeFileField(field, configFile ?? ''));

  const { data, sources } = mergeSettings(fileData, options.env, flags);
  validateConfigShape(data, (field) => describeMergedField(field, sources, configFile ?? ''));

  const config = toBotConfig(data as unknown as ValidatedData, sources, configFile, options);
  if (options.requireSlack ?? true) {
    checkSlackSettings(config);
  }
  return { config, sources, configFile };
}

function describeFileField(field: string, configFile: string): FieldDescription {
  return { origin: ` in the config file ${configFile}`, secret: isSecretField(field) };
}

function describeMergedField(field: string, sources: SettingSources, configFile: string): FieldDescription {
  const setting = findBotSetting(field);
  const secret = isSecretField(field);
  switch (setting ? sources[setting.key] : 'file') {
    case 'flag':
      return { origin: ` from flag --${setting?.flag ?? field}`, secret };
    case 'env':
      return { origin: ` from environment variable ${setting?.env ?? field}`, secret };
    case 'default':
      return { origin: ' (the default value)', secret };
    default:
      return describeFileField(field, configFile);
  }
}

function isSecretField(field: string): boolean {
  return findBotSetting(field)?.secret ?? false;
}

/** Builds the `BotConfig` with absolute paths: a path from the config file is relative to the file's folder, any other to `cwd`. */
function toBotConfig(data: ValidatedData, sources: SettingSources, configFile: string | undefined, options: LoadBotConfigOptions): BotConfig {
  const baseFor = (source: string): string => (source === 'file' && configFile ? path.dirname(configFile) : options.cwd);
  const datastoreRoot = data.metaflow.datastoreRoot;

  return {
    botName: data.botName,
    logLevel: data.logLevel,
    slack: {
      botToken: data.slack.botToken,
      appToken: data.slack.appToken,
      signingSecret: data.slack.signingSecret,
      mode: data.slack.mode,
      port: data.slack.port,
      apiUrl: data.slack.apiUrl.endsWith('/') ? data.slack.apiUrl : `${data.slack.apiUrl}/`,
    },
    metaflow: {
      home: resolveConfigPath(data.metaflow.home, baseFor(sources['metaflow.home']), options.env),
      profile: data.metaflow.profile,
      datastoreRoot: datastoreRoot === undefined ? undefined : resolveConfigPath(datastoreRoot, baseFor(sources['metaflow.datastoreRoot']), options.env),
    },
    status: { staleAfterMinutes: data.status.staleAfterMinutes },
    threads: { maxCached: data.threads.maxCached, idleMinutes: data.threads.idleMinutes },
    access: data.access,
  };
}
