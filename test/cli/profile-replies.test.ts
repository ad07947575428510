import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpBot } from '../../src/cli/bot-setup.ts';
import { makeTempFolder, type TempFolder } from '../config/temp-folder.ts';
import { createThreadHarness, joinReplies, type ThreadHarness } from '../support/thread-harness.ts';

const sampleRoot = path.resolve(import.meta.dirname, '../../sample');
const password = 's3cretpassw0rd';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

/** Sets the bot up on the sample with the profiles written to `mf/`, and opens a thread. */
async function openThread(): Promise<ThreadHarness> {
  const setup = await setUpBot({
    argv: ['--datastore-root', sampleRoot],
    env: { HOME: folder.path, METAFLOW_HOME: path.join(folder.path, 'mf'), METAFLOWBOT_LOG_LEVEL: 'error' },
    cwd: folder.path,
    requireSlack: false,
    allowSample: true,
  });
  return createThreadHarness({ reader: setup.reader, profiles: setup.lookupContext.profiles ?? undefined });
}

describe('profile replies', () => {
  it('hide a service URL password', async () => {
    const leaky = { METAFLOW_DEFAULT_METADATA: 'service', METAFLOW_SERVICE_URL: `http://user:${password}@127.0.0.1:18080`, METAFLOW_DATASTORE_SYSROOT_LOCAL: sampleRoot };
    await folder.write('mf/config_leaky.json', JSON.stringify(leaky));
    const harness = await openThread();

    const listed = joinReplies(await harness.say('profiles'));
    const switched = joinReplies(await harness.say('use profile leaky'));

    expect(listed).toContain('`leaky`: cannot be used');
    expect(listed).toContain('http://…@127.0.0.1:18080');
    expect(listed).not.toContain(password);
    expect(switched).toContain('leaky');
    expect(switched).not.toContain(password);
  });

  it('name the problem of an unusable profile once', async () => {
    await folder.write('mf/config_broken.json', '{"METAFLOW_DEFAULT_METADATA": ');
    await folder.write('mf/config_hybrid.json', JSON.stringify({ METAFLOW_DEFAULT_DATASTORE: 's3', METAFLOW_DATASTORE_SYSROOT_S3: 's3://bucket/metaflow' }));
    const harness = await openThread();

    const listed = joinReplies(await harness.say('profiles'));

    expect(listed).toContain('`broken`: cannot be used: ');
    expect(listed).not.toContain('Metaflow profile broken is unusable');
    expect(listed).toContain('`hybrid`: cannot be used: it keeps run metadata locally');
  });
});
