import type { LogLevel } from '../logger.ts';
import type { AccessRules } from './check-profile-access.ts';

/** Slack's event delivery: Socket Mode, or HTTP requests to the bot. */
export type SlackMode = 'socket' | 'http';

/**
 * The bot's validated configuration. Paths are absolute. A Slack secret is `undefined`
 * when it is not set, which only `metaflowbot chat` and `config show` accept.
 */
export interface BotConfig {
  /** Name the bot calls itself in help texts. */
  botName: string;
  logLevel: LogLevel;
  slack: {
    botToken: string | undefined;
    appToken: string | undefined;
    signingSecret: string | undefined;
    mode: SlackMode;
    /** TCP port for HTTP mode. */
    port: number;
    /** Base URL of the Slack Web API, ending in `/`. */
    apiUrl: string;
  };
  metaflow: {
    /** Absolute folder with Metaflow's `config.json` and `config_<profile>.json`. */
    home: string;
    /** Profile that new threads use; `default` means `config.json`. */
    profile: string;
    /** Absolute folder that contains `.metaflow`, or `undefined` to leave it to the profile. */
    datastoreRoot: string | undefined;
  };
  status: {
    /** Minutes of silence after which an unfinished run is shown as stale. */
    staleAfterMinutes: number;
  };
  threads: {
    /** Maximum number of threads whose state stays in memory. */
    maxCached: number;
    /** Minutes after the last message before a thread's state is dropped. */
    idleMinutes: number;
  };
  /** Rules on which conversations may use which profiles; `undefined` opens every profile. */
  access: AccessRules | undefined;
}

/** Origin of a setting's value, strongest first. `default` also covers "not set". */
export type SettingSource = 'flag' | 'env' | 'file' | 'default';

/** Dotted name of every setting, as in the config file. */
export type SettingKey =
  | 'botName'
  | 'logLevel'
  | 'slack.botToken'
  | 'slack.appToken'
  | 'slack.signingSecret'
  | 'slack.mode'
  | 'slack.port'
  | 'slack.apiUrl'
  | 'metaflow.home'
  | 'metaflow.profile'
  | 'metaflow.datastoreRoot'
  | 'status.staleAfterMinutes'
  | 'threads.maxCached'
  | 'threads.idleMinutes'
  | 'access';

/** The source of each setting's value. */
export type SettingSources = Record<SettingKey, SettingSource>;
