import type { SettingKey, SettingSources } from './bot-config.ts';
import { botSettings, type BotSetting } from './bot-settings.ts';
import type { ConfigFlagValues } from './parse-config-flags.ts';
import { settingSchema } from './config-schema.ts';

/** Configuration data before validation, with the source of each setting. */
export interface MergedSettings {
  data: Record<string, unknown>;
  sources: SettingSources;
}

/**
 * Overlays the sources on the config file's data, strongest last: schema defaults fill
 * what no source sets, then environment variables, then flags. An empty environment variable
 * counts as not set. Integer settings from flags and the environment become numbers when
 * they are written as integers; anything else stays a string for validation to reject.
 */
export function mergeSettings(fileData: Record<string, unknown>, env: NodeJS.ProcessEnv, flags: ConfigFlagValues): MergedSettings {
  const data = structuredClone(fileData);
  const sources: Partial<SettingSources> = { access: fileData['access'] === undefined ? 'default' : 'file' };

  for (const setting of botSettings) {
    const flagValue = flags.settings.get(setting.key);
    const envValue = env[setting.env];

    if (flagValue !== undefined) {
      setAt(data, setting.key, toSettingValue(setting, flagValue));
      sources[setting.key] = 'flag';
    } else if (envValue !== undefined && envValue !== '') {
      setAt(data, setting.key, toSettingValue(setting, envValue));
      sources[setting.key] = 'env';
    } else if (getAt(fileData, setting.key) !== undefined) {
      sources[setting.key] = 'file';
    } else {
      setAt(data, setting.key, settingSchema(setting.key).default);
      sources[setting.key] = 'default';
    }
  }
  return { data, sources: sources as SettingSources };
}

function toSettingValue(setting: BotSetting, raw: string): string | number {
  if (setting.kind === 'integer' && /^\s*[+-]?\d+\s*$/.test(raw)) {
    return Number(raw);
  }
  return raw;
}

/** Returns the value at a dotted key, or `undefined` when a part of the path is missing. */
export function getAt(data: Record<string, unknown>, key: SettingKey): unknown {
  let node: unknown = data;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') {
      return undefined;
    }
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Sets the value at a dotted key, making the sections on the way; `undefined` sets nothing. */
function setAt(data: Record<string, unknown>, key: SettingKey, value: unknown): void {
  if (value === undefined) {
    return;
  }
  const parts = key.split('.');
  const last = parts.pop() ?? key;
  let node = data;
  for (const part of parts) {
    const child = node[part];
    if (child === undefined) {
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  node[last] = value;
}
