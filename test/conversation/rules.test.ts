import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/machines/parse-message.ts';
import { restoreThread } from '../../src/machines/thread-snapshot.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { silentLogger } from '../../src/logger.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { createThreadHarness, joinReplies } from '../support/thread-harness.ts';
import { SlowReader } from '../support/slow-reader.ts';

const root = metaflowLocalRoot;
const newestHello = 'HelloFlow/1796413131842466';
const successfulHello = 'HelloFlow/1796413130413220';

/** A thread with a run set, and the replies so far cleared. */
async function threadWithRun(pathspec: string) {
  const harness = createThreadHarness({ root });
  await harness.say(`inspect ${pathspec}`);
  harness.replies.length = 0;
  return harness;
}

describe('conversation rules', () => {
  it('first message of a thread, asking for help', async () => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say('help');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toContain('answers questions about Metaflow runs');
    expect(replies[0]?.text).not.toContain("Hi, I'm");
    expect(harness.session.state.state).toBe('ready.noRunSet');
  });

  it('isUnknownHelpTopic: as the first message', async () => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say('help nosuch');
    expect(replies).toHaveLength(1);
    const text = replies[0]?.text ?? '';
    expect(text).toMatch(/^There is no command `nosuch`\.\n/);
    expect(text).toContain('answers questions about Metaflow runs');
    expect(text).not.toContain("Hi, I'm");
    expect(harness.session.state.state).toBe('ready.noRunSet');
  });

  it('isUnknownHelpTopic: a misspelt command', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('help stauts'));
    expect(text).toContain('There is no command `stauts`. Did you mean `help status`?');
    expect(text).toContain('answers questions about Metaflow runs');
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('isUnknownHelpTopic: the unknown word is escaped', async () => {
    const harness = await threadWithRun(successfulHello);
    const replies = await harness.say('help <!channel>');
    const firstSection = replies[0]?.message.blocks[0];
    expect(firstSection?.type === 'section' ? firstSection.text?.text : '').toBe('There is no command `&lt;!channel&gt;`.');
    expect(replies[0]?.message.text).not.toContain('<!channel>');
  });

  it('help for a command without its own topic', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('help forget'));
    expect(text).not.toContain('There is no command');
    expect(text).toContain('`forget`: unset the run');
  });

  it('first message of a thread, asking how to inspect', async () => {
    const harness = createThreadHarness({ root });
    const text = joinReplies(await harness.say('how to inspect'));
    expect(text).toContain('How to inspect a run');
    expect(text).toContain('inspect HelloFlow/1796413131842466');
    expect(text).toContain('inspect HelloFlow tagged experiment_1');
  });

  it('first message of a thread', async () => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say('status');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toContain("Hi, I'm *Metaflow Bot*");
    expect(replies[1]?.text).toContain('No run is set');
  });

  it('isGreeting: first message is a greeting', async () => {
    for (const greeting of ['good morning', 'hello', 'Hi there!', 'hey :wave:', '<@U0BOT>']) {
      const harness = createThreadHarness({ root });
      const replies = await harness.say(greeting);
      expect(replies, greeting).toHaveLength(1);
      expect(replies[0]?.text, greeting).toContain("Hi, I'm");
      expect(harness.session.state.state).toBe('ready.noRunSet');
    }
  });

  it('first message of a thread that is not a command', async () => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say('stauts please');
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toContain("Hi, I'm");
    expect(replies[1]?.text).toContain("I don't know what to do with `stauts please`. Did you mean `status`?");
  });

  it('first message of a thread that is invalid', async () => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say(`inspect ${'A'.repeat(6_000)}`);
    expect(replies).toHaveLength(2);
    expect(replies[0]?.text).toContain("Hi, I'm");
    expect(replies[1]?.text).toContain('That message is 6008 characters long');
  });

  it('first message gets the answer a later one gets', async () => {
    for (const text of ['status LinearFlow/1', 'hello world', 'export xml', 'inspect a/b/c']) {
      const first = createThreadHarness({ root });
      const firstReplies = await first.say(text);
      const later = createThreadHarness({ root });
      await later.say('hi');
      const laterReplies = await later.say(text);
      expect(firstReplies.slice(1).map((reply) => reply.text), text).toEqual(laterReplies.map((reply) => reply.text));
    }
  });

  it('define a run to inspect: one run', async () => {
    const harness = createThreadHarness({ root });
    const text = joinReplies(await harness.say(`inspect ${newestHello}`));
    expect(text).toContain(`${newestHello}\`* by bob: failed`);
    expect(text).toContain('Runs are looked up across all namespaces');
    expect(harness.session.state.context.run).toEqual({ flow: 'HelloFlow', runId: '1796413131842466', finished: false });
  });

  it('define a run to inspect: several runs', async () => {
    const harness = createThreadHarness({ root });
    const text = joinReplies(await harness.say("inspect alice's HelloFlow tagged experiment_1"));
    expect(text).toContain('1. `HelloFlow/1796413129016528`');
    expect(text).toContain('Reply with a number');
    expect(harness.session.state.context.candidates.length).toBeGreaterThan(1);
    expect(harness.session.state.context.run).toBeNull();
  });

  it('define a run to inspect: no run', async () => {
    const harness = createThreadHarness({ root });
    const text = joinReplies(await harness.say("inspect carol's BranchFlow"));
    expect(text).toContain('No run matches');
    expect(text).toContain('`inspect BranchFlow` lists');
  });

  it('define a run to inspect: the latest successful run', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect the latest successful run of HelloFlow');
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('inspect the chosen run by number', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect HelloFlow');
    const text = joinReplies(await harness.say('2'));
    expect(text).toContain(successfulHello);
    expect(harness.session.state.context.run).toEqual({ flow: 'HelloFlow', runId: '1796413130413220', finished: true });
    expect(harness.session.state.context.candidates).toEqual([]);
  });

  it('inspect the chosen run by pathspec after a list', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect HelloFlow');
    await harness.say(`inspect ${successfulHello}`);
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('choice out of the list range', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect HelloFlow');
    const text = joinReplies(await harness.say('12'));
    expect(text).toContain('There is no run number 12');
  });

  it('inspect without argument, run set', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('inspect'));
    expect(text).toContain(`${successfulHello}\`* by carol: succeeded`);
    expect(text).toContain('Parameters:');
  });

  it('inspect without argument, no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hello');
    const text = joinReplies(await harness.say('inspect'));
    expect(text).toContain('How to inspect a run');
    expect(text).toContain('Examples from this datastore');
  });

  it('how to inspect', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('how to inspect'));
    expect(text).toContain("inspect alice's latest run of <Flow>");
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('show run status of a failed run', async () => {
    const harness = await threadWithRun(newestHello);
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain('failed');
    expect(text).toContain('1 of 3 steps done');
    expect(text).toContain('Failed in step `train`');
    expect(text).toContain('ValueError: epochs must be >= 0, got -3');
  });

  it('show run status of a foreach failure with stderr', async () => {
    const harness = await threadWithRun('FailFlow/1796413159306796');
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain("DataValidationError: item 'gamma' failed validation");
    expect(text).toContain('Last lines of stderr before the traceback');
    expect(text).toContain('Internal error');
  });

  it('show run status of a run with no activity', async () => {
    const harness = await threadWithRun('SleepyFlow/1796413172895082');
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain('no activity since 2026-12-04 19:39');
    expect(text).not.toContain('running');
  });

  it('show run, run finished already', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain('finished already: it succeeded at 2026-12-04 19:38:51 UTC');
  });

  it('status, no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain('No run is set in this thread');
  });

  it('show parameters', async () => {
    const harness = await threadWithRun('HelloFlow/1796413091695377');
    const text = joinReplies(await harness.say('params'));
    expect(text).toContain("label  = '<!channel> hi @here'");
    expect(text).toContain('epochs = ');
  });

  it('parameters, no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('parameters'))).toContain('No run is set');
  });

  it('inspect data, no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('data'))).toContain('No run is set');
  });

  it('inspect data without argument', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('data'));
    expect(text).toContain('Artifacts of the end task `HelloFlow/1796413130413220/end/3`');
    expect(text).toMatch(/final_loss\s+float\s+21 B/);
    expect(text).toContain('`data <name>` shows a value');
  });

  it('inspect data with an argument', async () => {
    const harness = await threadWithRun(successfulHello);
    expect(joinReplies(await harness.say('data history'))).toContain('[0.9, 0.81, 0.729');
    expect(joinReplies(await harness.say('data train/epochs'))).toContain('\n10\n');
    expect(joinReplies(await harness.say('data train/2/alpha'))).toContain('\n0.1\n');
  });

  it('inspect data with an unknown name', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('data histroy'));
    expect(text).toContain('has no artifact `histroy`');
    expect(text).toContain('Did you mean `history`');
  });

  it('inspect data with a step name', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('data train'));
    expect(text).toContain('Artifacts of task `HelloFlow/1796413130413220/train/2`');
    expect(text).toMatch(/epochs\s+int/);
  });

  it('inspect data with a step and slash', async () => {
    const harness = await threadWithRun(successfulHello);
    expect(joinReplies(await harness.say('data train/'))).toContain('Artifacts of task `HelloFlow/1796413130413220/train/2`');
    expect(joinReplies(await harness.say('data train/2/'))).toContain('Artifacts of task `HelloFlow/1796413130413220/train/2`');
  });

  it('inspect data of a foreach step lists its tasks', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('data shard'));
    expect(text).toContain('has 25 tasks; name one');
    expect(text).toContain('For example `data shard/');
  });

  it('inspect data of a run without an end task', async () => {
    const harness = await threadWithRun(newestHello);
    const text = joinReplies(await harness.say('data'));
    expect(text).toContain('the newest step with artifacts');
  });

  it('inspect logs, no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('logs'))).toContain('No run is set');
  });

  it('inspect logs without argument', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('logs'));
    expect(text).toContain('`shard`: 25 tasks');
    expect(text).toContain('`logs start`');
  });

  it('inspect logs with an argument', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('logs start'));
    expect(text).toContain('fanning out to 25 shards');
  });

  it('inspect logs of a foreach step lists its tasks', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('logs shard'));
    expect(text).toContain('has 25 tasks; name one');
    expect(text).toContain('25 tasks succeeded (`shard/2` … `shard/26`)');
  });

  it('inspect logs of a failed foreach lists the failed task', async () => {
    const harness = await threadWithRun('FailFlow/1796413159306796');
    const text = joinReplies(await harness.say('logs process'));
    expect(text).toContain('`process/4` (foreach index 2): failed');
    expect(text).toContain('For example `logs process/4`');
  });

  it('inspect logs of one foreach task, stderr', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('logs shard/2 stderr'));
    expect(text).toContain('multiple of five');
  });

  it('inspect a long log attaches the whole log', async () => {
    const harness = await threadWithRun('LogFlow/1796413166374227');
    const replies = await harness.say('logs chatty');
    expect(replies[0]?.message.file?.filename).toBe('chatty-2-stdout.log');
    expect(replies[0]?.text).toContain('40 of 20000 lines');
  });

  it('flows', async () => {
    const harness = createThreadHarness({ root });
    const text = joinReplies(await harness.say('flows'));
    expect(text).toContain('`HelloFlow`: latest `HelloFlow/1796413131842466` by bob, started 2026-12-04 19:38:51 UTC: failed');
    expect(text).toContain('`SleepyFlow`: latest `SleepyFlow/1796413172895082` by alice, started 2026-12-04 19:39:32 UTC: no activity since');
  });

  it('export of an unknown flow leaves the thread ready', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('export csv HeloFlow'))).toContain('Did you mean `HelloFlow`');
    expect(harness.session.state.state).toBe('ready.noRunSet');
    expect(harness.session.state.context.pending).toBeNull();
    expect(joinReplies(await harness.say('version'))).toBe('Metaflow Bot 0.0.0-test');
  });

  it('forget', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('forget'));
    expect(text).toContain(`Forgot \`${successfulHello}\``);
    expect(harness.session.state.state).toBe('ready.noRunSet');
    expect(harness.session.state.context.run).toBeNull();
  });

  it('forget with no run set', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('forget'))).toContain('nothing to forget');
  });

  it('version', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    expect(joinReplies(await harness.say('version'))).toBe('Metaflow Bot 0.0.0-test');
  });

  it('generic help fallback', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('hi');
    const text = joinReplies(await harness.say('stauts'));
    expect(text).toContain("I don't know what to do with `stauts`. Did you mean `status`?");
  });

  it('lookup lost: the lookup fails', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('data ../../etc'));
    expect(text).not.toContain('could not finish');
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('lookup lost: the lookup times out', async () => {
    const reader = new SlowReader(new LocalDatastoreReader({ root, logger: silentLogger }), 500);
    const harness = createThreadHarness({ reader, lookupTimeoutMs: 50 });
    await harness.say(`inspect ${successfulHello}`);
    const text = joinReplies(harness.replies);
    expect(text).toContain('I could not finish looking up the run `HelloFlow/1796413130413220`: it took longer than 0 seconds.');
    expect(harness.session.state.state).toBe('ready.noRunSet');
    expect(harness.session.state.context.pending).toBeNull();
  });

  it('lookup lost: a message while a lookup runs', async () => {
    const reader = new SlowReader(new LocalDatastoreReader({ root, logger: silentLogger }), 200);
    const harness = createThreadHarness({ reader });
    await harness.session.send(parseMessage(`inspect ${successfulHello}`));
    await harness.session.send(parseMessage('status'));
    await harness.session.settled();
    const text = joinReplies(harness.replies);
    expect(text).toContain('I am still looking up the run `HelloFlow/1796413130413220`');
    expect(harness.session.state.context.run?.runId).toBe('1796413130413220');
  });

  it('lookup lost: interrupted by a restart, asked again', async () => {
    const first = createThreadHarness({ root });
    await first.say(`inspect ${successfulHello}`);
    const stored = { ...first.session.state, state: 'lookingUp', context: { ...first.session.state.context, pending: { kind: 'params', run: { flow: 'HelloFlow', runId: '1796413130413220', finished: true } } } };
    const restored = restoreThread(JSON.parse(JSON.stringify(stored)));
    expect(restored.ok).toBe(true);
    if (!restored.ok) {
      return;
    }
    const second = createThreadHarness({ root, restored: restored.snapshot });
    await second.session.resume();
    expect(joinReplies(second.replies)).toContain('Parameters of `HelloFlow/1796413130413220`');
    expect(second.session.state.state).toBe('ready.runSet');
  });
});
