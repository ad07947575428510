/** The bot's configuration, Metaflow's profiles and the access rules, for the CLI and the thread machine. */
export type { BotConfig, SettingKey, SettingSource, SettingSources, SlackMode } from './bot-config.ts';
export { botSettings, configFileEnv, configFlags, formatConfigFlagsHelp, type BotSetting, type ConfigFlag } from './bot-settings.ts';
export { checkProfileAccess, type AccessDecision, type AccessRequest, type AccessRules, type ProfileRule } from './check-profile-access.ts';
export { checkSlackSettings } from './check-slack-settings.ts';
export { ConfigError, isConfigError, type ConfigErrorCode } from './config-error.ts';
export { formatConfig, type FormatConfigOptions } from './format-config.ts';
export { listMetaflowProfiles, type MetaflowProfileEntry } from './list-metaflow-profiles.ts';
export { loadBotConfig, type LoadBotConfigOptions, type LoadedBotConfig } from './load-bot-config.ts';
export { maskSecret } from './mask-secret.ts';
export { serviceRequestHeaders, type MetaflowSettings, type MetaflowSettingSource } from './metaflow-settings.ts';
export { defaultProfileName, isValidProfileName, validateProfileName } from './profile-name.ts';
export { readMetaflowProfile, type MetaflowProfile } from './read-metaflow-profile.ts';
export { resolveDatastoreRoot, type DatastoreRoot } from './resolve-datastore-root.ts';
