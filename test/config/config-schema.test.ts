import { describe, expect, it } from 'vitest';
import { botSettings, configFlags, formatConfigFlagsHelp } from '../../src/config/bot-settings.ts';
import { configSchema, settingSchema, type SchemaNode } from '../../src/config/config-schema.ts';
import { profileNamePattern } from '../../src/config/profile-name.ts';

/** Dotted names of the schema's leaf settings, without the structured `access` section. */
function leafKeys(node: SchemaNode, prefix = ''): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([name, child]) => {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    if (key === 'access') {
      return [];
    }
    return child.properties ? leafKeys(child, key) : [key];
  });
}

describe('config schema', () => {
  it('matches the settings table', () => {
    expect(botSettings.map((setting) => setting.key).sort()).toEqual(leafKeys(configSchema).sort());
  });

  it('describes every setting', () => {
    for (const setting of botSettings) {
      expect(settingSchema(setting.key).description, setting.key).toMatch(/\.$/);
    }
  });

  it('uses the profile name pattern', () => {
    expect(configSchema.$defs['profileName']).toMatchObject({ pattern: profileNamePattern.source });
  });

  it('has unique flags and variables', () => {
    expect(new Set(botSettings.map((setting) => setting.flag)).size).toBe(botSettings.length);
    expect(new Set(botSettings.map((setting) => setting.env)).size).toBe(botSettings.length);
  });
});

describe('configFlags', () => {
  it('lists the config flag first', () => {
    expect(configFlags[0]?.usage).toBe('--config FILE');
    expect(configFlags).toHaveLength(botSettings.length + 1);
  });

  it('gives help with env and default', () => {
    const help = formatConfigFlagsHelp();

    expect(help).toContain('--slack-port PORT');
    expect(help).toMatch(/TCP port the bot listens on in HTTP mode\. .*Env: METAFLOWBOT_SLACK_PORT\. Default: 3000\./);
    expect(help).toMatch(/One of: socket, http\./);
    expect(help).toMatch(/--slack-bot-token TOKEN\n.*Prefer the environment variable/);
  });
});
