import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpBot } from '../../src/cli/bot-setup.ts';
import { runConfigCommand } from '../../src/cli/config-command.ts';
import { sampleDatastoreRoot } from '../../src/cli/open-selected-profile.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { makeTempFolder, type TempFolder } from '../config/temp-folder.ts';

const botToken = 'xoxb-1111-2222-abcdefghijkl';
const appToken = 'xapp-1-A111-2222-mnopqrstuvwx';
const authKey = 'mfkey-0123456789abcdefghijklmnop';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

/** Builds an environment with an empty Metaflow home in the temp folder, quiet logs and, unless left out, Slack tokens. */
function environment(extra: NodeJS.ProcessEnv = {}, withTokens = true): NodeJS.ProcessEnv {
  const tokens = withTokens ? { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken } : {};
  return { HOME: folder.path, METAFLOW_HOME: path.join(folder.path, 'mf'), METAFLOWBOT_LOG_LEVEL: 'error', ...tokens, ...extra };
}

async function runConfig(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    env,
    cwd: folder.path,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const code = await runConfigCommand(argv, io);
  return { code, stdout, stderr };
}

/** Returns the message that `serve` stops with, or `null` when it would start. */
async function serveStartError(argv: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    await setUpBot({ argv, env, cwd: folder.path, requireSlack: true, allowSample: false });
    return null;
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    return error.message;
  }
}

/** Profiles that `serve` cannot start with, each written into the Metaflow home by `setUp`. */
const unusableProfiles: { name: string; setUp: () => Promise<unknown>; env: NodeJS.ProcessEnv; argv: string[]; expected: string }[] = [
  {
    name: 'invalid JSON',
    setUp: () => folder.write('mf/config_broken.json', '{"METAFLOW_DEFAULT_METADATA": service}'),
    env: { METAFLOW_PROFILE: 'broken' },
    argv: ['--datastore-root', sampleDatastoreRoot],
    expected: 'Metaflow profile broken is unusable',
  },
  {
    name: 'missing named profile',
    setUp: () => folder.write('mf/config.json', '{}'),
    env: { METAFLOW_PROFILE: 'absent' },
    argv: ['--datastore-root', sampleDatastoreRoot],
    expected: 'Metaflow profile absent not found',
  },
  {
    name: 'service without URL',
    setUp: () => folder.write('mf/config_service.json', '{"METAFLOW_DEFAULT_METADATA": "service"}'),
    env: { METAFLOW_PROFILE: 'service' },
    argv: [],
    expected: 'METAFLOW_SERVICE_URL is not set',
  },
  {
    name: 'service without datastore',
    setUp: () => folder.write('mf/config_service.json', '{"METAFLOW_DEFAULT_METADATA": "service", "METAFLOW_SERVICE_URL": "http://127.0.0.1:18080"}'),
    env: { METAFLOW_PROFILE: 'service' },
    argv: [],
    expected: 'Metaflow profile service is unusable: its datastore is local',
  },
  {
    name: 'root without .metaflow',
    setUp: () => folder.write('empty/readme.txt', 'no datastore here'),
    env: {},
    argv: ['--datastore-root', 'empty'],
    expected: 'has no .metaflow folder',
  },
  {
    name: 'no datastore at all',
    setUp: async () => undefined,
    env: {},
    argv: [],
    expected: 'No Metaflow datastore is configured',
  },
];

describe('config check', () => {
  it('accepts a usable configuration', async () => {
    const result = await runConfig(['check', '--datastore-root', sampleDatastoreRoot], environment());

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('The configuration is valid.');
    expect(result.stdout).toContain(`New threads read Metaflow profile default: local datastore at ${sampleDatastoreRoot}/.metaflow.`);
  });

  for (const profile of unusableProfiles) {
    it(`reports ${profile.name} as serve does`, async () => {
      await profile.setUp();
      const env = environment(profile.env);

      const result = await runConfig(['check', ...profile.argv], env);
      const startError = await serveStartError(profile.argv, env);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(profile.expected);
      expect(startError).toContain(profile.expected);
      expect(result.stderr).toBe(`Configuration error: ${startError}\n`);
    });
  }

  it('reports Slack tokens and profile together', async () => {
    await folder.write('mf/config_broken.json', '{"METAFLOW_DEFAULT_METADATA": service}');

    const result = await runConfig(['check', '--datastore-root', sampleDatastoreRoot], environment({ METAFLOW_PROFILE: 'broken' }, false));
    const lines = result.stderr.trimEnd().split('\n');

    expect(result.code).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Configuration error: Missing Slack settings for socket mode: slack\.botToken .*slack\.appToken/);
    expect(lines[1]).toMatch(/^Configuration error: Metaflow profile broken is unusable: .* is not valid JSON/);
  });

  it('names the sample as a way out', async () => {
    const result = await runConfig(['check'], environment());

    expect(result.stderr).toContain('--datastore-root DIR');
    expect(result.stderr).toContain('METAFLOW_DATASTORE_SYSROOT_LOCAL');
    expect(result.stderr).toContain('Metaflow profile');
    expect(result.stderr).toContain(`start with --datastore-root ${sampleDatastoreRoot}.`);
  });

  it('reports an invalid bot setting', async () => {
    const result = await runConfig(['check', '--slack-port', 'abc'], environment());

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Configuration error: Invalid value for slack\.port from flag --slack-port/);
  });
});

describe('config show', () => {
  it('prints the selected profile with sources', async () => {
    await folder.write('mf/config_prod.json', JSON.stringify({ METAFLOW_DEFAULT_METADATA: 'service', METAFLOW_SERVICE_URL: 'http://127.0.0.1:18080/api', METAFLOW_DATASTORE_SYSROOT_LOCAL: '/data/flows' }));
    const env = environment({ METAFLOW_PROFILE: 'prod', METAFLOW_SERVICE_AUTH_KEY: authKey, METAFLOW_S3_ENDPOINT_URL: 'http://127.0.0.1:9000' });

    const result = await runConfig(['show'], env);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/metaflow\.profile +prod +environment variable METAFLOW_PROFILE/);
    expect(result.stdout).toContain(`Metaflow profile prod (${path.join(folder.path, 'mf', 'config_prod.json')}):`);
    expect(result.stdout).toMatch(/METAFLOW_DEFAULT_METADATA +service +file config_prod\.json/);
    expect(result.stdout).toMatch(/METAFLOW_SERVICE_URL +http:\/\/127\.0\.0\.1:18080\/api +file config_prod\.json/);
    expect(result.stdout).toMatch(/METAFLOW_DATASTORE_SYSROOT_LOCAL +\/data\/flows +file config_prod\.json/);
    expect(result.stdout).toMatch(/METAFLOW_DEFAULT_DATASTORE +local +default/);
    expect(result.stdout).toMatch(/METAFLOW_S3_ENDPOINT_URL +http:\/\/127\.0\.0\.1:9000 +environment variable METAFLOW_S3_ENDPOINT_URL/);
    expect(result.stdout).toMatch(/METAFLOW_SERVICE_AUTH_KEY +…mnop +environment variable METAFLOW_SERVICE_AUTH_KEY/);
    expect(result.stdout).not.toContain(authKey);
  });

  it('shows Metaflow defaults without config.json', async () => {
    const result = await runConfig(['show'], environment());

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Metaflow profile default (${path.join(folder.path, 'mf', 'config.json')}, missing: Metaflow defaults apply):`);
    expect(result.stdout).toMatch(/METAFLOW_DEFAULT_METADATA +local +default/);
    expect(result.stdout).toMatch(/METAFLOW_SERVICE_URL +\(not set\) +default/);
  });

  it('reports an unusable profile', async () => {
    await folder.write('mf/config_broken.json', '{"METAFLOW_DEFAULT_METADATA": service}');

    const result = await runConfig(['show'], environment({ METAFLOW_PROFILE: 'broken' }));

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/metaflow\.profile +broken/);
    expect(result.stdout).not.toContain('METAFLOW_DEFAULT_METADATA');
    expect(result.stderr).toMatch(/^Configuration error: Metaflow profile broken is unusable: /);
  });
});

describe('config command', () => {
  it('rejects an unknown action', async () => {
    const result = await runConfig(['verify'], environment());

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Unknown config command "verify": use `metaflowbot config check` or `metaflowbot config show`.\n');
  });
});
