/**
 * Passes every chunk of a generator to `write`, waiting for each write, and returns the
 * generator's return value (which `for await` would drop).
 */
export async function drainChunks<R>(chunks: AsyncGenerator<string, R>, write: (chunk: string) => void | Promise<void>): Promise<R> {
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      return next.value;
    }
    if (next.value !== '') {
      await write(next.value);
    }
  }
}
