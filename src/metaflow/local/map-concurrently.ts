/**
 * Maps `items` through `mapper` with at most `limit` calls pending at once, keeping the
 * order of `items`. Listing a flow reads one small file per run, and an unbounded
 * `Promise.all` over thousands of runs would run out of file descriptors.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, mapper: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;

  async function work(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await mapper(items[index] as T);
    }
  }

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, work));
  return results;
}

/** Default number of concurrent file reads when listing. */
export const defaultReadConcurrency = 32;
