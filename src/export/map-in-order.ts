/**
 * Maps an async stream with up to `concurrency` calls in flight and yields the results in
 * the source's order. It reads a batch, waits for all of it, then yields it, so at most
 * `concurrency` items and results are held at once, however long the source is.
 */
export async function* mapInOrder<T, R>(
  source: AsyncIterable<T>,
  concurrency: number,
  mapper: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= concurrency) {
      yield* await Promise.all(batch.map(mapper));
      batch = [];
    }
  }
  if (batch.length > 0) {
    yield* await Promise.all(batch.map(mapper));
  }
}
