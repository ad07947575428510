import { afterEach, describe, expect, test } from 'vitest';
import { createThreadHarness, joinReplies, type ThreadHarness } from '../support/thread-harness.ts';
import type { Phase } from './contract-server.ts';
import { openServiceReader, type ServiceSetup } from './service-fixture.ts';

let setup: ServiceSetup | null = null;

afterEach(async () => {
  await setup?.close();
  setup = null;
});

async function openThread(phase: Phase): Promise<ThreadHarness> {
  setup = await openServiceReader(phase);
  return createThreadHarness({ reader: setup.reader, now: setup.now });
}

async function ask(harness: ThreadHarness, text: string): Promise<string> {
  return joinReplies(await harness.say(text));
}

describe('thread on the service: failed and killed runs', () => {
  test('inspect failed run', async () => {
    const harness = await openThread('c');
    const reply = await ask(harness, 'inspect FailingFlow/3');
    expect(reply).toContain('`FailingFlow/3`* by alice: failed');
    expect(reply).not.toContain('There is no run');
  });

  test('status of failed run', async () => {
    const harness = await openThread('c');
    await harness.say('inspect FailingFlow/3');
    const reply = await ask(harness, 'status');
    expect(reply).toContain('Failed in step `boom`');
    expect(reply).toContain('ValueError: deliberate failure for the fixture');
  });

  const slowFlowPhases: [Phase, string][] = [
    ['a', 'running'],
    ['b', 'running'],
    ['c', 'no activity since'],
  ];
  for (const [phase, state] of slowFlowPhases) {
    test(`status of SlowFlow/5 in phase ${phase}`, async () => {
      const harness = await openThread(phase);
      await harness.say('inspect SlowFlow/5');
      const reply = await ask(harness, 'status');
      expect(reply).toContain(`\`SlowFlow/5\`* by alice: ${state}`);
    });
  }
});

describe('thread on the service: conversation', () => {
  test('inspect with parameters', async () => {
    const harness = await openThread('c');
    const reply = await ask(harness, 'inspect LinearParamFlow/1');
    expect(reply).toContain('`LinearParamFlow/1`* by alice: succeeded');
    expect(reply).toContain("Parameters: `alpha=2.0` `label='first-run'` `n=5`");
  });

  test('status of foreach run', async () => {
    const harness = await openThread('c');
    await harness.say('inspect ForeachFlow/2');
    const reply = await ask(harness, 'status');
    expect(reply).toContain('it succeeded at 2026-12-04 19:34:28 UTC');
    expect(reply).toContain('4 of 4 steps done, 13 tasks.');
  });

  test('params', async () => {
    const harness = await openThread('c');
    await harness.say('inspect LinearParamFlow/1');
    const reply = await ask(harness, 'params');
    expect(reply).toContain("label = 'first-run'");
    expect(reply).toContain('Types: `alpha`: float, `label`: str, `n`: int');
  });

  test('data lists end task artifacts', async () => {
    const harness = await openThread('c');
    await harness.say('inspect LinearParamFlow/1');
    const reply = await ask(harness, 'data');
    expect(reply).toContain('Artifacts of the end task `LinearParamFlow/1/end/4`');
    expect(reply).toMatch(/numbers\s+list\s+26 B/);
  });

  test('data with a name', async () => {
    const harness = await openThread('c');
    await harness.say('inspect LinearParamFlow/1');
    const reply = await ask(harness, 'data numbers');
    expect(reply).toContain('(list, 26 B stored)');
    expect(reply).toContain('[0, 1, 2, 3, 4]');
  });

  test('logs lists steps', async () => {
    const harness = await openThread('c');
    await harness.say('inspect LinearParamFlow/1');
    const reply = await ask(harness, 'logs');
    expect(reply).toContain('`start`: task `2`, succeeded');
    expect(reply).toContain('`end`: task `4`, succeeded');
  });

  test('logs of a step', async () => {
    const harness = await openThread('c');
    await harness.say('inspect LinearParamFlow/1');
    const reply = await ask(harness, 'logs start');
    expect(reply).toContain('start: alpha=2.0 label=first-run n=5 user=alice');
    expect(reply).toContain('1 of 1 line, ');
  });

  test('flows', async () => {
    const harness = await openThread('c');
    const reply = await ask(harness, 'flows');
    expect(reply).toContain('`ForeachFlow`: latest `ForeachFlow/2` by bob');
  });

  test('export csv', async () => {
    const harness = await openThread('c');
    const replies = await harness.say('export csv LinearParamFlow');
    const reply = joinReplies(replies);
    expect(reply).toContain('Exported 50 runs of `LinearParamFlow` as CSV');
    const csv = replies.map((delivered) => delivered.message.file?.content ?? '').join('');
    const row = csv.split('\r\n').find((line) => line.startsWith('1,LinearParamFlow/1,alice,'));
    expect(row).toContain(',succeeded,');
    // JSON has no 2.0, so the exact float parameter is written as 2.
    expect(row?.endsWith(',true,true,2,first-run,5')).toBe(true);
  });
});
