import { isValidMetaflowName } from '../names.ts';
import type { RunFilter } from '../reader.ts';
import type { LocalContext } from './local-context.ts';
import { defaultReadConcurrency, mapConcurrently } from './map-concurrently.ts';
import { parseSelfRecord, type SelfRecord } from './records.ts';
import { compareIds, skipOutsideLinks } from './step-reader.ts';

/** A run's id with its `_self.json` record. */
export interface RunEntry {
  id: string;
  self: SelfRecord;
}

/** Run records read at a time while looking for the newest runs. */
const batchSize = defaultReadConcurrency;

/**
 * How much later than its id a run's record may have been written, in milliseconds. The local
 * metadata provider makes a run id from the start time in microseconds and writes the record at
 * once, 1 ms later in the fixture datastore. A minute leaves room for a slow disk.
 */
export const maxRecordDelayMs = 60_000;

/** Ids in this range are epoch microseconds from 2001 to 5138, as the local provider writes them. */
const minTimestampId = 1e15;
const maxTimestampId = 1e17;

/**
 * Yields a flow's runs that match `filter`, newest first (by the record's `ts_epoch`, then by id,
 * as the client orders them), reading only as many records as that order needs.
 *
 * When every run id is a microsecond timestamp, as the local metadata provider makes them, runs
 * are read in descending id order. A run is yielded once no unread run can be newer, because an
 * unread run's record is at most `maxRecordDelayMs` younger than its id. The newest 5 of 10,000
 * runs then cost a few dozen reads. Other ids (set by `--run-id`, or by other schedulers) give no
 * such bound, and every record is read first.
 *
 * NOTE: a run whose record was written more than `maxRecordDelayMs` after its id (a clock set
 * back between the two) can come out later than the client would list it.
 */
export async function* iterateRunEntries(
  context: LocalContext,
  flow: string,
  runIds: readonly string[],
  filter: Omit<RunFilter, 'limit'>,
): AsyncGenerator<RunEntry> {
  const candidates = runIds.filter((name) => isValidMetaflowName('run', name));
  const ordered = candidates.every(isTimestampId)
    ? [...candidates].sort((left, right) => compareIds(right, left))
    : null;
  const pending: RunEntry[] = [];

  for (let next = 0; next < (ordered ?? candidates).length; next += batchSize) {
    const batch = (ordered ?? candidates).slice(next, next + batchSize);
    const entries = await readEntries(context, flow, batch);
    pending.push(...entries.filter((entry) => matchesFilter(entry.self, filter)));
    pending.sort(compareNewestFirst);

    const unread = ordered?.[next + batchSize];
    if (ordered && unread !== undefined) {
      const newestUnread = Number(unread) / 1000 + maxRecordDelayMs;
      while (pending.length > 0 && (pending[0]?.self.tsEpoch ?? 0) > newestUnread) {
        yield pending.shift() as RunEntry;
      }
    }
  }
  yield* pending;
}

async function readEntries(context: LocalContext, flow: string, runIds: readonly string[]): Promise<RunEntry[]> {
  const entries = await mapConcurrently(runIds, defaultReadConcurrency, (runId) =>
    skipOutsideLinks(context, `${flow}/${runId}`, async () => {
      const json = await context.files.readJson([flow, runId, '_meta', '_self.json']);
      return json === null ? null : { id: runId, self: parseSelfRecord(json, `${flow}/${runId}/_meta/_self.json`) };
    }),
  );
  return entries.filter((entry): entry is RunEntry => entry !== null);
}

function isTimestampId(runId: string): boolean {
  if (!/^\d{16,17}$/.test(runId)) {
    return false;
  }
  const value = Number(runId);
  return value >= minTimestampId && value < maxTimestampId;
}

function compareNewestFirst(left: RunEntry, right: RunEntry): number {
  return right.self.tsEpoch - left.self.tsEpoch || compareIds(right.id, left.id);
}

/**
 * Matches the client's tag filter: every tag must be among the run's user or system tags, and
 * a user filter is the tag `user:<name>`, so a user tag `user:mallory` matches user mallory
 * as it does in `namespace('user:mallory')`.
 */
function matchesFilter(self: SelfRecord, filter: Omit<RunFilter, 'limit'>): boolean {
  const tags = new Set([...self.tags, ...self.systemTags]);
  const required = [...(filter.tags ?? []), ...(filter.user === undefined ? [] : [`user:${filter.user}`])];
  return required.every((tag) => tags.has(tag));
}
