import type { MetaflowReader, RunInfo } from '../metaflow/reader.ts';
import { iterateMatchingRuns, type RunListSpec } from './runs-query.ts';

/**
 * The runs of a query, read alike on every pass, for a CSV export that reads them twice (once
 * for the parameter columns, once for the rows). The first complete pass records how many
 * runs it saw and the newest one's creation time. Later passes skip runs created after that
 * and stop at that count, so a run started in between does not shift the rows. Only those two
 * numbers are kept, never the runs themselves.
 */
export class RunSnapshot {
  readonly #reader: MetaflowReader;
  readonly #runspec: RunListSpec;
  readonly #limit: number | null;
  #seen: { count: number; newestCreatedAt: number } | null = null;

  constructor(reader: MetaflowReader, runspec: RunListSpec, limit: number | null) {
    this.#reader = reader;
    this.#runspec = runspec;
    this.#limit = limit;
  }

  /** Yields the runs newest first, the same ones on every pass after the first complete one. */
  runs(): AsyncGenerator<RunInfo> {
    return this.#seen === null ? this.#firstPass() : this.#laterPass(this.#seen);
  }

  async *#firstPass(): AsyncGenerator<RunInfo> {
    let count = 0;
    let newestCreatedAt = Number.NEGATIVE_INFINITY;
    for await (const run of iterateMatchingRuns(this.#reader, this.#runspec, this.#limit)) {
      newestCreatedAt = Math.max(newestCreatedAt, run.createdAt);
      count += 1;
      yield run;
    }
    // Reached only when the consumer read every run; a pass cut short records nothing.
    this.#seen = { count, newestCreatedAt };
  }

  // NOTE: a run created after the first pass but in the same millisecond as the newest run is
  // not skipped. It then takes the place of the oldest run on later passes.
  async *#laterPass(seen: { count: number; newestCreatedAt: number }): AsyncGenerator<RunInfo> {
    if (seen.count === 0) {
      return;
    }
    let yielded = 0;
    for await (const run of iterateMatchingRuns(this.#reader, this.#runspec, null)) {
      if (run.createdAt > seen.newestCreatedAt) {
        continue;
      }
      yield run;
      yielded += 1;
      if (yielded >= seen.count) {
        return;
      }
    }
  }
}
