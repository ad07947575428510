/**
 * A least-recently-used cache bounded by entry count. A `Map` keeps insertion order, so
 * moving an entry to the end on each read makes the first key the least recently used.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #maxEntries: number;

  /** @param maxEntries maximum number of entries, at least 1. Adding one more drops the least recently used. */
  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`LruCache maxEntries must be a positive integer, got ${maxEntries}.`);
    }
    this.#maxEntries = maxEntries;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the value for `key` and marks it as the most recently used. */
  get(key: K): V | undefined {
    if (!this.#entries.has(key)) {
      return undefined;
    }
    const value = this.#entries.get(key) as V;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** Stores `value` as the most recently used entry, dropping the least recently used one when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value);
      }
    }
  }

  /** Removes every entry. */
  clear(): void {
    this.#entries.clear();
  }
}
