import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../src/config/load-bot-config.ts';
import { readMetaflowProfile } from '../../src/config/read-metaflow-profile.ts';
import { resolveDatastoreRoot } from '../../src/config/resolve-datastore-root.ts';
import { makeTempFolder, type TempFolder } from './temp-folder.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

async function resolveWith(argv: string[], profileJson: string, cwd: string) {
  await folder.write('mf/config.json', profileJson);
  const { config } = await loadBotConfig({ argv: ['--metaflow-home', path.join(folder.path, 'mf'), ...argv], env: {}, cwd, requireSlack: false });
  const profile = await readMetaflowProfile(config.metaflow.home, 'default', {});
  return resolveDatastoreRoot(config, profile, cwd);
}

describe('resolveDatastoreRoot', () => {
  it('prefers the bot setting', async () => {
    const root = await resolveWith(['--datastore-root', metaflowLocalRoot], '{"METAFLOW_DATASTORE_SYSROOT_LOCAL": "/elsewhere"}', folder.path);

    expect(root).toEqual({ path: metaflowLocalRoot, source: 'bot-config' });
  });

  it('uses the profile root', async () => {
    const root = await resolveWith([], '{"METAFLOW_DATASTORE_SYSROOT_LOCAL": "data"}', folder.path);

    expect(root).toEqual({ path: path.join(folder.path, 'data'), source: 'profile' });
  });

  it('finds .metaflow in a parent', async () => {
    await folder.write('project/.metaflow/HelloFlow/placeholder', '');
    await folder.write('project/flows/deep/placeholder', '');

    const root = await resolveWith([], '{}', path.join(folder.path, 'project', 'flows', 'deep'));

    expect(root).toEqual({ path: path.join(folder.path, 'project'), source: 'search' });
  });

  it('finds the fixture datastore', async () => {
    const root = await resolveWith([], '{}', path.join(metaflowLocalRoot, '.metaflow'));

    expect(root?.path).toBe(metaflowLocalRoot);
  });

  it('ignores a .metaflow file', async () => {
    await folder.write('project/.metaflow', 'not a folder');

    const root = await resolveWith([], '{}', path.join(folder.path, 'project'));

    expect(root === null || root.path !== path.join(folder.path, 'project')).toBe(true);
  });
});
