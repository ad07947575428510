import { readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { maxRecordDelayMs } from '../../src/metaflow/local/run-order.ts';
import { copyFixtureRuns, type DatastoreCopy } from './datastore-copy.ts';

const newest = '1796413131842466';
const second = '1796413130413220';
const third = '1796413129016528';
const fourth = '1796413127686472';

let copy: DatastoreCopy | undefined;

afterEach(() => {
  copy?.remove();
  copy = undefined;
});

/** Rewrites a run's `ts_epoch` in its `_meta/_self.json`. */
function setCreatedAt(datastore: string, runId: string, tsEpoch: number): void {
  const file = path.join(datastore, 'HelloFlow', runId, '_meta', '_self.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...record, ts_epoch: tsEpoch }));
}

function readerOf(current: DatastoreCopy): LocalDatastoreReader {
  return new LocalDatastoreReader({ root: current.root, logger: silentLogger });
}

describe('run order of the local reader', () => {
  it('lists by record time when it disagrees with the id', async () => {
    copy = copyFixtureRuns('HelloFlow', [newest, second, third, fourth]);
    // Written 6 s after its id: newer than every other run, within the allowed delay.
    setCreatedAt(copy.datastore, fourth, Number(fourth.slice(0, 13)) + 6_000);

    const runs = await readerOf(copy).listRuns('HelloFlow', { limit: 2 });
    expect(runs.map((run) => run.id)).toEqual([fourth, newest]);
  });

  it('streams the same order as it lists', async () => {
    copy = copyFixtureRuns('HelloFlow', [newest, second, third, fourth]);
    setCreatedAt(copy.datastore, third, Number(third.slice(0, 13)) + maxRecordDelayMs - 1);
    const reader = readerOf(copy);

    const listed = (await reader.listRuns('HelloFlow')).map((run) => run.id);
    const streamed: string[] = [];
    for await (const run of reader.iterateRuns('HelloFlow')) {
      streamed.push(run.id);
    }
    expect(streamed).toEqual(listed);
    expect(listed[0]).toBe(third);
  });

  it('reads every record when an id is not a timestamp', async () => {
    copy = copyFixtureRuns('HelloFlow', [newest, second]);
    cpSync(path.join(copy.datastore, 'HelloFlow', second), path.join(copy.datastore, 'HelloFlow', 'my-run'), { recursive: true });
    setCreatedAt(copy.datastore, 'my-run', Number(newest.slice(0, 13)) + 1_000);

    const [latest] = await readerOf(copy).listRuns('HelloFlow', { limit: 1 });
    expect(latest?.id).toBe('my-run');
  });

  it('applies the limit to the filtered runs', async () => {
    copy = copyFixtureRuns('HelloFlow', [newest, second, third, fourth]);
    const runs = await readerOf(copy).listRuns('HelloFlow', { user: 'bob', limit: 5 });
    expect(runs.map((run) => run.id)).toEqual([newest, fourth]);
  });
});

describe('run order with the latest_run file', () => {
  it('does not take latest_run for a run', async () => {
    copy = copyFixtureRuns('HelloFlow', [newest, second]);
    writeFileSync(path.join(copy.datastore, 'HelloFlow', 'latest_run'), second);
    const runs = await readerOf(copy).listRuns('HelloFlow');
    expect(runs.map((run) => run.id)).toEqual([newest, second]);
  });
});
