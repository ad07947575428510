import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadBotConfig, type LoadBotConfigOptions } from '../../src/config/load-bot-config.ts';
import { makeTempFolder, type TempFolder } from './temp-folder.ts';

const botToken = 'xoxb-1111-2222-abcdefghijkl';
const appToken = 'xapp-1-A111-2222-mnopqrstuvwx';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

function load(options: Partial<LoadBotConfigOptions>) {
  return loadBotConfig({ argv: [], env: { HOME: '/home/ada' }, cwd: folder.path, requireSlack: false, ...options });
}

async function loadError(options: Partial<LoadBotConfigOptions>): Promise<ConfigError> {
  const error: unknown = await load(options).then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof ConfigError)) {
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  }
  return error;
}

describe('loadBotConfig defaults', () => {
  it('fills every default', async () => {
    const { config, sources } = await load({});

    expect(config.botName).toBe('Metaflow Bot');
    expect(config.logLevel).toBe('info');
    expect(config.slack.mode).toBe('socket');
    expect(config.slack.port).toBe(3000);
    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.slack.botToken).toBeUndefined();
    expect(config.metaflow.home).toBe('/home/ada/.metaflowconfig');
    expect(config.metaflow.profile).toBe('default');
    expect(config.metaflow.datastoreRoot).toBeUndefined();
    expect(config.status.staleAfterMinutes).toBe(30);
    expect(config.threads.maxCached).toBe(10_000);
    expect(config.threads.idleMinutes).toBe(60);
    expect(config.access).toBeUndefined();
    expect(Object.values(sources).every((source) => source === 'default')).toBe(true);
  });
});

describe('loadBotConfig precedence', () => {
  it('prefers flag over env over file', async () => {
    await folder.write('bot.yaml', 'botName: From File\nlogLevel: warn\nslack:\n  port: 4001\n');
    const env = { METAFLOWBOT_NAME: 'From Env', METAFLOWBOT_SLACK_PORT: '4002' };

    const { config, sources } = await load({ argv: ['--config', 'bot.yaml', '--slack-port', '4003'], env });

    expect(config.slack.port).toBe(4003);
    expect(sources['slack.port']).toBe('flag');
    expect(config.botName).toBe('From Env');
    expect(sources.botName).toBe('env');
    expect(config.logLevel).toBe('warn');
    expect(sources.logLevel).toBe('file');
    expect(sources['threads.maxCached']).toBe('default');
  });

  it('reads the file named by METAFLOWBOT_CONFIG', async () => {
    const filePath = await folder.write('conf/bot.json', JSON.stringify({ threads: { idleMinutes: 15 } }));

    const { config, sources, configFile } = await load({ env: { METAFLOWBOT_CONFIG: filePath } });

    expect(config.threads.idleMinutes).toBe(15);
    expect(sources['threads.idleMinutes']).toBe('file');
    expect(configFile).toBe(filePath);
  });

  it('prefers --config over METAFLOWBOT_CONFIG', async () => {
    await folder.write('a.yaml', 'botName: A\n');
    await folder.write('b.yaml', 'botName: B\n');

    const { config } = await load({ argv: ['--config=b.yaml'], env: { METAFLOWBOT_CONFIG: 'a.yaml' } });

    expect(config.botName).toBe('B');
  });

  it('ignores empty environment variables', async () => {
    await folder.write('bot.yaml', 'slack:\n  mode: http\n');

    const { config, sources } = await load({ argv: ['--config', 'bot.yaml'], env: { METAFLOWBOT_SLACK_MODE: '', SLACK_BOT_TOKEN: '' } });

    expect(config.slack.mode).toBe('http');
    expect(sources['slack.mode']).toBe('file');
    expect(config.slack.botToken).toBeUndefined();
  });

  it('takes the last of a repeated flag', async () => {
    const { config } = await load({ argv: ['--log-level', 'debug', '--log-level=error'] });

    expect(config.logLevel).toBe('error');
  });

  it('reads access rules from the file', async () => {
    await folder.write('bot.yaml', 'access:\n  profiles:\n    prod:\n      channels: [C0123ABCD]\n');

    const { config, sources } = await load({ argv: ['--config', 'bot.yaml'] });

    expect(config.access).toEqual({ profiles: { prod: { channels: ['C0123ABCD'] } } });
    expect(sources.access).toBe('file');
  });
});

describe('loadBotConfig paths', () => {
  it('resolves file paths from the file folder', async () => {
    const filePath = await folder.write('etc/bot.yaml', 'metaflow:\n  home: mfconfig\n  datastoreRoot: ../data\n');

    const { config } = await load({ argv: ['--config', filePath], cwd: '/somewhere/else' });

    expect(config.metaflow.home).toBe(path.join(folder.path, 'etc', 'mfconfig'));
    expect(config.metaflow.datastoreRoot).toBe(path.join(folder.path, 'data'));
  });

  it('resolves env paths from cwd', async () => {
    const { config } = await load({ env: { METAFLOW_HOME: 'mf', METAFLOW_DATASTORE_SYSROOT_LOCAL: '.' } });

    expect(config.metaflow.home).toBe(path.join(folder.path, 'mf'));
    expect(config.metaflow.datastoreRoot).toBe(folder.path);
  });

  it('expands a leading tilde', async () => {
    const { config } = await load({ argv: ['--metaflow-home', '~/mf'], env: { HOME: '/home/grace' } });

    expect(config.metaflow.home).toBe('/home/grace/mf');
  });

  it('adds the trailing slash to apiUrl', async () => {
    const { config } = await load({ env: { SLACK_API_URL: 'http://127.0.0.1:4100/api' } });

    expect(config.slack.apiUrl).toBe('http://127.0.0.1:4100/api/');
  });
});

describe('loadBotConfig validation', () => {
  it('rejects an unknown file key', async () => {
    await folder.write('bot.yaml', 'slack:\n  botTokn: xoxb-1\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('unknown_setting');
    expect(error.field).toBe('slack.botTokn');
    expect(error.message).toContain('Settings allowed under slack: botToken, appToken');
  });

  it('rejects an unknown top-level key', async () => {
    await folder.write('bot.json', '{"botname": "x"}');

    const error = await loadError({ argv: ['--config', 'bot.json'] });

    expect(error.code).toBe('unknown_setting');
    expect(error.field).toBe('botname');
    expect(error.message).toContain('at the top level');
  });

  it('rejects a wrong type in the file', async () => {
    await folder.write('bot.yaml', 'status:\n  staleAfterMinutes: "30"\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('invalid_value');
    expect(error.field).toBe('status.staleAfterMinutes');
    expect(error.message).toContain('"30"');
    expect(error.message).toContain('Expected an integer');
    expect(error.message).toContain('in the config file');
  });

  it('rejects a section that is not a mapping', async () => {
    await folder.write('bot.yaml', 'slack: socket\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.field).toBe('slack');
    expect(error.message).toContain('Expected a mapping');
  });

  it('rejects a non-integer from env', async () => {
    const error = await loadError({ env: { METAFLOWBOT_MAX_CACHED_THREADS: '10k' } });

    expect(error.field).toBe('threads.maxCached');
    expect(error.message).toContain('environment variable METAFLOWBOT_MAX_CACHED_THREADS');
    expect(error.message).toContain('"10k"');
  });

  it('rejects a bad enum value', async () => {
    const error = await loadError({ argv: ['--slack-mode', 'websocket'] });

    expect(error.field).toBe('slack.mode');
    expect(error.message).toContain('flag --slack-mode');
    expect(error.message).toContain('"websocket"');
    expect(error.message).toContain('one of: socket, http');
  });

  it('rejects a non-http URL', async () => {
    const error = await loadError({ env: { SLACK_API_URL: 'ftp://127.0.0.1/api' } });

    expect(error.field).toBe('slack.apiUrl');
    expect(error.message).toContain('"ftp://127.0.0.1/api"');
    expect(error.message).toContain('http or https URL');
  });

  it('rejects text that is not a URL', async () => {
    const error = await loadError({ env: { SLACK_API_URL: 'slack api' } });

    expect(error.field).toBe('slack.apiUrl');
  });

  it('rejects negative numbers', async () => {
    for (const [flag, field] of [
      ['--stale-after-minutes', 'status.staleAfterMinutes'],
      ['--max-cached-threads', 'threads.maxCached'],
      ['--thread-idle-minutes', 'threads.idleMinutes'],
      ['--slack-port', 'slack.port'],
    ] as const) {
      const error = await loadError({ argv: [`${flag}=-5`] });

      expect(error.field).toBe(field);
      expect(error.message).toContain(': -5.');
      expect(error.message).toMatch(/of at least 1\.|from 1 to \d+\./);
    }
  });

  it('rejects a port above 65535', async () => {
    const error = await loadError({ argv: ['--slack-port', '65536'] });

    expect(error.message).toContain('an integer from 1 to 65535');
  });

  it('rejects an idle time above a week', async () => {
    const error = await loadError({ argv: ['--thread-idle-minutes', '10081'] });

    expect(error.field).toBe('threads.idleMinutes');
  });

  it('rejects an empty bot name', async () => {
    const error = await loadError({ argv: ['--bot-name='] });

    expect(error.field).toBe('botName');
    expect(error.message).toContain('a non-empty string');
  });

  it('rejects an invalid profile name', async () => {
    const error = await loadError({ env: { METAFLOW_PROFILE: '../prod' } });

    expect(error.field).toBe('metaflow.profile');
    expect(error.message).toContain('letters, digits');
  });

  it('rejects swapped Slack tokens', async () => {
    const error = await loadError({ env: { SLACK_BOT_TOKEN: appToken } });

    expect(error.field).toBe('slack.botToken');
    expect(error.message).toContain('starts with xoxb-');
  });

  it('masks a bad secret in the message', async () => {
    const error = await loadError({ env: { SLACK_APP_TOKEN: botToken } });

    expect(error.message).not.toContain(botToken);
    expect(error.message).toContain('xoxb-…ijkl');
  });

  it('rejects a channel name in access rules', async () => {
    await folder.write('bot.yaml', 'access:\n  profiles:\n    prod:\n      channels: ["#general"]\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.field).toBe('access.profiles.prod.channels[0]');
    expect(error.message).toContain('channel ID');
  });

  it('rejects a bad profile key in access rules', async () => {
    await folder.write('bot.yaml', 'access:\n  profiles:\n    "a/b":\n      channels: ["*"]\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.field).toBe('access.profiles');
    expect(error.message).toContain('"a/b"');
  });

  it('rejects access without profiles', async () => {
    await folder.write('bot.yaml', 'access: {}\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('missing_setting');
    expect(error.field).toBe('access.profiles');
  });
});

describe('loadBotConfig files', () => {
  it('rejects a missing file', async () => {
    const error = await loadError({ argv: ['--config', 'nope.yaml'] });

    expect(error.code).toBe('unreadable_file');
    expect(error.field).toBe(path.join(folder.path, 'nope.yaml'));
    expect(error.message).toContain('does not exist');
  });

  it('rejects a folder as file', async () => {
    await folder.write('conf/placeholder', '');

    const error = await loadError({ argv: ['--config', 'conf'] });

    expect(error.code).toBe('unreadable_file');
    expect(error.message).toContain('it is a folder');
  });

  it('rejects invalid YAML', async () => {
    await folder.write('bot.yaml', 'slack:\n  mode: [socket\nbotName: x\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('invalid_file');
    expect(error.message).toContain('is not valid YAML');
    expect(error.message).toContain('line');
  });

  it('rejects duplicate YAML keys', async () => {
    await folder.write('bot.yaml', 'botName: a\nbotName: b\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('invalid_file');
  });

  it('rejects invalid JSON without echoing it', async () => {
    await folder.write('bot.json', `{"slack": {"botToken": ${botToken}}}`);

    const error = await loadError({ argv: ['--config', 'bot.json'] });

    expect(error.code).toBe('invalid_file');
    expect(error.message).toContain('is not valid JSON');
    expect(error.message).not.toContain(botToken);
  });

  it('rejects a list at the top', async () => {
    await folder.write('bot.yaml', '- botName: x\n');

    const error = await loadError({ argv: ['--config', 'bot.yaml'] });

    expect(error.code).toBe('invalid_file');
    expect(error.message).toContain('contains a list');
  });

  it('accepts an empty YAML file', async () => {
    await folder.write('bot.yaml', '# nothing set yet\n');

    const { config } = await load({ argv: ['--config', 'bot.yaml'] });

    expect(config.botName).toBe('Metaflow Bot');
  });
});

describe('loadBotConfig flags', () => {
  it('rejects an unknown flag', async () => {
    const error = await loadError({ argv: ['--slack-tokn', 'x'] });

    expect(error.code).toBe('invalid_flag');
    expect(error.field).toBe('--slack-tokn');
  });

  it('rejects a flag without value', async () => {
    const error = await loadError({ argv: ['--slack-port'] });

    expect(error.code).toBe('invalid_flag');
    expect(error.field).toBe('--slack-port');
    expect(error.message).toContain('needs a value');
  });

  it('rejects a flag followed by a flag', async () => {
    const error = await loadError({ argv: ['--slack-port', '--log-level', 'debug'] });

    expect(error.field).toBe('--slack-port');
  });

  it('rejects a positional argument', async () => {
    const error = await loadError({ argv: ['--slack-mode', 'http', 'extra'] });

    expect(error.code).toBe('invalid_flag');
    expect(error.message).toContain('"extra"');
  });

  it('masks a stray token argument', async () => {
    const error = await loadError({ argv: ['--slack-bot-token', '=', botToken] });

    expect(error.message).not.toContain(botToken);
  });
});

describe('loadBotConfig Slack requirements', () => {
  it('requires both tokens in socket mode', async () => {
    const error = await loadError({ requireSlack: true });

    expect(error.code).toBe('missing_setting');
    expect(error.field).toBe('slack.botToken');
    expect(error.message).toContain('SLACK_BOT_TOKEN');
    expect(error.message).toContain('SLACK_APP_TOKEN');
  });

  it('requires the signing secret in HTTP mode', async () => {
    const error = await loadError({ requireSlack: true, env: { SLACK_BOT_TOKEN: botToken, METAFLOWBOT_SLACK_MODE: 'http' } });

    expect(error.field).toBe('slack.signingSecret');
    expect(error.message).not.toContain('SLACK_APP_TOKEN');
  });

  it('accepts complete socket settings', async () => {
    const { config } = await load({ requireSlack: true, env: { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken } });

    expect(config.slack.botToken).toBe(botToken);
    expect(config.slack.appToken).toBe(appToken);
  });

  it('requires Slack settings by default', async () => {
    const error: unknown = await loadBotConfig({ argv: [], env: {}, cwd: folder.path }).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(ConfigError);
  });
});
