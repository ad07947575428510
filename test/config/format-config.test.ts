import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfig } from '../../src/config/format-config.ts';
import { loadBotConfig } from '../../src/config/load-bot-config.ts';
import { readMetaflowProfile } from '../../src/config/read-metaflow-profile.ts';
import { makeTempFolder, type TempFolder } from './temp-folder.ts';

const botToken = 'xoxb-1111-2222-abcdefghijkl';
const appToken = 'xapp-1-A111-2222-mnopqrstuvwx';
const signingSecret = '0123456789abcdef0123456789abcdef';
const authKey = 'mfkey-0123456789abcdefghijklmnop';
const bearer = 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-part';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

async function showConfig(): Promise<string> {
  await folder.write('bot.yaml', `slack:\n  signingSecret: "${signingSecret}"\naccess:\n  profiles:\n    prod:\n      channels: [C0PROD]\n      users: [U0ADA]\n`);
  await folder.write('mf/config_prod.json', JSON.stringify({ METAFLOW_SERVICE_AUTH_KEY: authKey, METAFLOW_SERVICE_HEADERS: { Authorization: bearer } }));
  const env = { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, HOME: '/home/ada' };
  const loaded = await loadBotConfig({ argv: ['--config', 'bot.yaml', '--log-level', 'debug'], env, cwd: folder.path });
  const profile = await readMetaflowProfile(`${folder.path}/mf`, 'prod', {});
  return formatConfig(loaded.config, loaded.sources, { configFile: loaded.configFile, profile });
}

describe('formatConfig', () => {
  it('masks every secret', async () => {
    const text = await showConfig();

    for (const secret of [botToken, appToken, signingSecret, authKey, bearer]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toMatch(/slack\.botToken +xoxb-…ijkl +environment variable SLACK_BOT_TOKEN/);
    expect(text).toMatch(/slack\.appToken +xapp-…uvwx/);
    expect(text).toMatch(/slack\.signingSecret +…cdef +config file/);
    expect(text).toMatch(/METAFLOW_SERVICE_AUTH_KEY +…mnop +file/);
    expect(text).toMatch(/METAFLOW_SERVICE_HEADERS +Authorization: …part/);
  });

  it('names each source', async () => {
    const text = await showConfig();

    expect(text).toContain(`Config file: ${folder.path}/bot.yaml`);
    expect(text).toMatch(/logLevel +debug +flag --log-level/);
    expect(text).toMatch(/botName +Metaflow Bot +default/);
    expect(text).toMatch(/slack\.apiUrl +https:\/\/slack\.com\/api\/ +default/);
    expect(text).toMatch(/metaflow\.datastoreRoot +\(not set\) +default/);
  });

  it('lists access rules', async () => {
    const text = await showConfig();

    expect(text).toContain('prod: channels C0PROD; direct messages from U0ADA');
  });

  it('says when access is open', async () => {
    const loaded = await loadBotConfig({ argv: [], env: {}, cwd: folder.path, requireSlack: false });

    const text = formatConfig(loaded.config, loaded.sources);

    expect(text).toContain('Config file: none');
    expect(text).toMatch(/access +none: every profile is open/);
  });
});
