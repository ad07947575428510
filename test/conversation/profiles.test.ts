import { describe, expect, it } from 'vitest';
import { ProfileDirectory } from '../../src/conversation/profile-directory.ts';
import { silentLogger } from '../../src/logger.ts';
import { restoreThread } from '../../src/machines/thread-snapshot.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { createThreadHarness, joinReplies } from '../support/thread-harness.ts';

const fixtureReader = new LocalDatastoreReader({ root: metaflowLocalRoot, logger: silentLogger });
const sampleReader = new LocalDatastoreReader({ root: new URL('../../sample', import.meta.url).pathname, logger: silentLogger });

/** `default` reads the fixture; `finance` the sample, kept to channel C0FIN and user U0ALICE; `broken` is unusable. */
function directory(): ProfileDirectory {
  return new ProfileDirectory(
    [
      { name: 'default', reader: fixtureReader },
      { name: 'finance', reader: sampleReader },
      { name: 'broken', reader: null, problem: 'its config_broken.json is not valid JSON.' },
    ],
    'default',
    { profiles: { finance: { channels: ['C0FIN'], users: ['U0ALICE'] }, '*': { channels: ['*'], users: ['*'] } } },
  );
}

const inFinanceChannel = { channelId: 'C0FIN', userId: 'U0BOB', isDirectMessage: false };
const inOtherChannel = { channelId: 'C0ENG', userId: 'U0BOB', isDirectMessage: false };

describe('profiles in a thread', () => {
  it('lists the profiles with the thread and default marked', async () => {
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inOtherChannel });
    const text = joinReplies(await harness.say('profiles'));
    expect(text).toContain('`default` (default, this thread)');
    expect(text).toContain('`finance`: not available in this conversation');
    expect(text).toContain('`broken`: cannot be used: its config_broken.json is not valid JSON.');
  });

  it('switches with use profile and names the profile in replies', async () => {
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inFinanceChannel });
    await harness.say('inspect HelloFlow/1796413130413220');
    const text = joinReplies(await harness.say('use profile finance'));
    expect(text).toContain('This thread now reads the Metaflow profile `finance`');
    expect(harness.session.state.context.profile).toBe('finance');
    expect(harness.session.state.context.run).toBeNull();

    const flows = joinReplies(await harness.say('flows'));
    expect(flows).toContain('*Flows* (profile finance)');
    expect(flows).not.toContain('LogFlow');
  });

  it('switches and lists flows with inspect flows from', async () => {
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inFinanceChannel });
    const text = joinReplies(await harness.say('inspect flows from finance'));
    expect(text).toContain('now reads the Metaflow profile `finance`');
    expect(text).toContain('`SleepyFlow`: latest');
  });

  it('denies a profile in a channel without access', async () => {
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inOtherChannel });
    await harness.say('hi');
    const text = joinReplies(await harness.say('use profile finance'));
    expect(text).toContain('is not available in this channel');
    expect(text).not.toContain('Flows');
    expect(harness.session.state.context.profile).toBeNull();
  });

  it('allows a profile in a direct message to a listed user', async () => {
    const audience = { channelId: 'D0DM', userId: 'U0ALICE', isDirectMessage: true };
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience });
    await harness.say('use profile finance');
    expect(harness.session.state.context.profile).toBe('finance');
  });

  it('denies a profile in a direct message to another user', async () => {
    const audience = { channelId: 'D0DM', userId: 'U0BOB', isDirectMessage: true };
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience });
    const text = joinReplies(await harness.say('use profile finance'));
    expect(text).toContain('not available to you in direct messages');
  });

  it('rejects an unusable or unknown profile', async () => {
    const harness = createThreadHarness({ profiles: directory(), reader: fixtureReader });
    expect(joinReplies(await harness.say('use profile broken'))).toContain('cannot be used: its config_broken.json');
    expect(joinReplies(await harness.say('use profile financ'))).toContain('Did you mean `finance`');
    expect(harness.session.state.context.profile).toBeNull();
  });

  it('keeps the profile after a restore', async () => {
    const first = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inFinanceChannel });
    await first.say('use profile finance');
    await first.say('inspect ForeachFlow/1796413132892874');
    const restored = restoreThread(JSON.parse(JSON.stringify(first.session.state)));
    expect(restored.ok).toBe(true);
    if (!restored.ok) {
      return;
    }

    const second = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inFinanceChannel, restored: restored.snapshot });
    const text = joinReplies(await second.say('status'));
    expect(text).toContain('ForeachFlow/1796413132892874');
    expect(text).toContain('From profile finance.');
  });

  it('checks access again when the thread is used from a denied channel', async () => {
    const first = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inFinanceChannel });
    await first.say('use profile finance');
    const restored = restoreThread(JSON.parse(JSON.stringify(first.session.state)));
    if (!restored.ok) {
      throw new Error(restored.message);
    }
    const second = createThreadHarness({ profiles: directory(), reader: fixtureReader, audience: inOtherChannel, restored: restored.snapshot });
    const text = joinReplies(await second.say('flows'));
    expect(text).toContain('is not available in this channel');
    expect(text).not.toContain('SleepyFlow');
  });
});
