import path from 'node:path';
import type { BotConfig, SettingKey, SettingSource, SettingSources } from './bot-config.ts';
import { botSettings, findBotSetting } from './bot-settings.ts';
import type { AccessRules, ProfileRule } from './check-profile-access.ts';
import { getAt } from './merge-settings.ts';
import { maskSecret, maskUrlCredentials } from './mask-secret.ts';
import { metaflowSettingSpecs, type MetaflowSettingSpec } from './metaflow-settings.ts';
import type { MetaflowProfile } from './read-metaflow-profile.ts';

/** Extra context for `formatConfig`. */
export interface FormatConfigOptions {
  /** The config file that was read, if any. */
  configFile?: string | undefined;
  /** A Metaflow profile to show after the bot's settings. */
  profile?: MetaflowProfile;
}

/**
 * Formats the configuration for `metaflowbot config show`: one line per setting with its
 * value and source, then the access rules and, when given, a Metaflow profile. Secrets
 * (Slack tokens, the signing secret, the Metaflow auth key and header values) are masked.
 */
export function formatConfig(config: BotConfig, sources: SettingSources, options: FormatConfigOptions = {}): string {
  const lines = [`Config file: ${options.configFile ?? 'none'}`, ''];

  const rows = botSettings.map((setting) => [setting.key, formatSettingValue(config, setting.key), describeSource(setting.key, sources[setting.key])]);
  rows.push(['access', config.access ? 'rules below' : 'none: every profile is open to every conversation', describeSource('access', sources.access)]);
  lines.push(...formatTable(rows));

  if (config.access) {
    lines.push('', 'Access rules:', ...formatAccessRules(config.access));
  }
  if (options.profile) {
    lines.push('', ...formatProfile(options.profile));
  }
  return lines.join('\n');
}

function formatSettingValue(config: BotConfig, key: SettingKey): string {
  const value = getAt(config as unknown as Record<string, unknown>, key);
  if (value === undefined) {
    return '(not set)';
  }
  return findBotSetting(key)?.secret ? maskSecret(String(value)) : String(value);
}

function describeSource(key: SettingKey, source: SettingSource): string {
  const setting = findBotSetting(key);
  switch (source) {
    case 'flag':
      return `flag --${setting?.flag ?? key}`;
    case 'env':
      return `environment variable ${setting?.env ?? key}`;
    case 'file':
      return 'config file';
    case 'default':
      return 'default';
    default:
      return source satisfies never;
  }
}

function formatAccessRules(rules: AccessRules): string[] {
  return Object.entries(rules.profiles).map(([profile, rule]) => `  ${profile}: ${describeRule(rule)}`);
}

function describeRule(rule: ProfileRule): string {
  const channels = rule.channels?.length ? rule.channels.join(', ') : 'none';
  const users = rule.users?.length ? rule.users.join(', ') : 'none';
  return `channels ${channels}; direct messages from ${users}`;
}

function formatProfile(profile: MetaflowProfile): string[] {
  const fileNote = profile.fileFound ? '' : ', missing: Metaflow defaults apply';
  const rows = metaflowSettingSpecs.map((spec) => [spec.name, formatMetaflowValue(profile, spec), describeMetaflowSource(profile, spec)]);
  return [`Metaflow profile ${profile.name} (${profile.path}${fileNote}):`, ...formatTable(rows)];
}

function describeMetaflowSource(profile: MetaflowProfile, spec: MetaflowSettingSpec): string {
  const source = profile.sources[spec.field];
  switch (source) {
    case 'env':
      return `environment variable ${spec.name}`;
    case 'file':
      return `file ${path.basename(profile.path)}`;
    case 'default':
      return 'default';
    default:
      return source satisfies never;
  }
}

function formatMetaflowValue(profile: MetaflowProfile, spec: MetaflowSettingSpec): string {
  const value = profile.settings[spec.field];
  if (value === null) {
    return '(not set)';
  }
  if (typeof value === 'object') {
    const headers = Object.entries(value).map(([name, headerValue]) => `${name}: ${maskSecret(headerValue)}`);
    return headers.length === 0 ? '(none)' : headers.join(', ');
  }
  return spec.secret ? maskSecret(value) : maskUrlCredentials(value);
}

/** Pads every column but the last to its widest cell. */
function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ')}`);
}
