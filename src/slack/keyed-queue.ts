/**
 * Runs tasks one at a time per key, in the order they were queued, while tasks of different keys
 * run in parallel. A key is forgotten once its last task settles, so memory follows the number of
 * busy keys.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** @param onIdle called with a key once its last queued task has settled and the key is free. */
  constructor(private readonly onIdle: (key: string) => void = () => undefined) {}

  /** Queues `task` behind the tasks of `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) {
        this.tails.delete(key);
        this.onIdle(key);
      }
    });
    return result;
  }

  /** Whether a task of `key` is queued or running. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  /** Number of keys with a queued or running task. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves once no task is queued or running, including tasks queued meanwhile. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) {
      await Promise.all(this.tails.values());
    }
  }
}
