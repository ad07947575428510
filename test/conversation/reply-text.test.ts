import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { createThreadHarness, joinReplies, type ThreadHarness } from '../support/thread-harness.ts';

const root = metaflowLocalRoot;
const successfulHello = 'HelloFlow/1796413130413220';
/** Failed in `train`, after `start` succeeded. */
const failedHelloRunId = '1796413131842466';
const failedHello = `HelloFlow/${failedHelloRunId}`;

/** Starts a thread, sets a run in it and clears the replies so far. */
async function threadWithRun(pathspec: string, datastoreRoot = root): Promise<ThreadHarness> {
  const harness = createThreadHarness({ root: datastoreRoot });
  await harness.say(`inspect ${pathspec}`);
  harness.replies.length = 0;
  return harness;
}

/**
 * Root of a datastore whose only run has a single task: the failed HelloFlow run without its
 * `start` step, like a run whose first task failed. The fixture has no such run.
 */
let oneTaskRoot = '';

beforeAll(async () => {
  oneTaskRoot = await mkdtemp(path.join(os.tmpdir(), 'metaflowbot-one-task-'));
  const source = path.join(root, '.metaflow', 'HelloFlow');
  const target = path.join(oneTaskRoot, '.metaflow', 'HelloFlow');
  for (const folder of ['_meta', 'data', failedHelloRunId]) {
    await cp(path.join(source, folder), path.join(target, folder), { recursive: true });
  }
  await rm(path.join(target, failedHelloRunId, 'start'), { recursive: true });
});

afterAll(async () => {
  await rm(oneTaskRoot, { recursive: true, force: true });
});

describe('counts in replies', () => {
  it('status of a run with one task', async () => {
    const harness = await threadWithRun(failedHello, oneTaskRoot);
    const text = joinReplies(await harness.say('status'));
    expect(text).toContain('0 of 3 steps done, 1 task, 1 failed.');
    expect(text).not.toContain('1 tasks');
  });

  it('status of a run with several tasks', async () => {
    const harness = await threadWithRun(failedHello);
    expect(joinReplies(await harness.say('status'))).toContain('1 of 3 steps done, 2 tasks, 1 failed.');
  });

  it('log of one line', async () => {
    const harness = await threadWithRun('ForeachFlow/1796413132892874');
    const text = joinReplies(await harness.say('logs shard/2 stderr'));
    expect(text).toContain('1 of 1 line, ');
    expect(text).not.toContain('1 lines');
  });
});

describe('step names in replies', () => {
  it('unknown step lists steps in run order', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('logs nosuch'));
    expect(text).toContain('has no step `nosuch`. Its steps: `start` `train` `end`.');
  });

  it('unknown step for data lists steps in run order', async () => {
    const harness = await threadWithRun(failedHello);
    const text = joinReplies(await harness.say('data nosuch/x'));
    expect(text).toContain('Its steps: `start` `train`.');
  });
});

describe('examples in replies', () => {
  it('invalid inspect runspec shows placeholder forms', async () => {
    const harness = await threadWithRun(successfulHello);
    const replies = await harness.say('inspect ../../etc/passwd');
    const text = joinReplies(replies);
    expect(text).toContain('That is not a runspec I know. Try `inspect <Flow>`, `inspect <Flow>/<run id>` or `how to inspect`.');
    expect(text).not.toContain('HelloFlow');
    expect(replies[0]?.message.text).toContain('`inspect &lt;Flow&gt;/&lt;run id&gt;`');
  });

  it('invalid export runspec shows a placeholder', async () => {
    const harness = await threadWithRun(successfulHello);
    const replies = await harness.say('export json a/b/c');
    const text = joinReplies(replies);
    expect(text).toContain('Try `export json <Flow>` or `help export`.');
    expect(text).not.toContain('HelloFlow');
    expect(replies[0]?.message.text).toContain('`export json &lt;Flow&gt;`');
  });

  it('export help shows placeholders', async () => {
    const harness = await threadWithRun(successfulHello);
    const text = joinReplies(await harness.say('help export'));
    expect(text).toContain('`export csv <Flow>` names the flow');
    expect(text).not.toContain('HelloFlow');
  });
});
