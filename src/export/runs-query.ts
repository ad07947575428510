import type { Runspec } from '../machines/runspec.ts';
import type { MetaflowReader, RunFilter, RunInfo } from '../metaflow/reader.ts';

/** The runs an export covers: a runspec (its flow spelled as stored) and an optional limit. */
export interface RunsQuery {
  runspec: Runspec;
  /** At most this many runs, newest first; `null` for all. Ignored for a runspec that names one run. */
  limit: number | null;
}

/** A runspec that names a flow's runs (`HelloFlow`, `alice's HelloFlow tagged prod`). */
export type RunListSpec = Extract<Runspec, { kind: 'runs' }>;

/**
 * Yields a flow's runs that match the runspec's user and tags, newest first, up to `limit`.
 * A reader with `iterateRuns` is read one run at a time; others through `listRuns`.
 *
 * @throws MetaflowError `not_found` when the flow does not exist.
 */
export async function* iterateMatchingRuns(reader: MetaflowReader, runspec: RunListSpec, limit: number | null): AsyncGenerator<RunInfo> {
  const filter: RunFilter = { user: runspec.user ?? undefined, tags: runspec.tags };
  if (limit !== null) {
    filter.limit = limit;
  }
  const runs = reader.iterateRuns ? reader.iterateRuns(runspec.flow, filter) : await reader.listRuns(runspec.flow, filter);

  // The limit is applied here too, whether or not the backend applied it.
  let yielded = 0;
  for await (const run of runs) {
    if (limit !== null && yielded >= limit) {
      return;
    }
    yielded += 1;
    yield run;
  }
}
