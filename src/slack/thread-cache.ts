/** Settings of a `ThreadCache`. */
export interface ThreadCacheOptions<V> {
  /** Most entries kept; past it the least recently used idle entries are dropped. */
  maxEntries: number;
  /** An entry unused for this long is dropped, in milliseconds. */
  idleMs: number;
  /** Entries for which this returns true are never dropped, so the cache may exceed `maxEntries` while they last. */
  isBusy: (value: V) => boolean;
  /** Current time in epoch milliseconds; a parameter so that tests can move it. */
  now?: () => number;
}

interface CacheSlot<V> {
  value: V;
  lastUsedAt: number;
}

/**
 * Threads kept in memory, bounded by count and by idle time. A `Map` keeps insertion order, so
 * re-inserting an entry on each use makes the first key the least recently used. A dropped
 * thread is restored from Slack the next time someone writes in it.
 */
export class ThreadCache<V> {
  private readonly slots = new Map<string, CacheSlot<V>>();
  private readonly now: () => number;

  constructor(private readonly options: ThreadCacheOptions<V>) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
      throw new RangeError(`ThreadCache maxEntries must be a positive integer, got ${options.maxEntries}.`);
    }
    this.now = options.now ?? Date.now;
  }

  /** Returns the entry and marks it used, or undefined when there is none or it has been idle too long. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (!slot) {
      return undefined;
    }
    const now = this.now();
    this.slots.delete(key);
    if (this.isExpired(slot, now)) {
      return undefined;
    }
    slot.lastUsedAt = now;
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Returns the entry without marking it used or checking its idle time. */
  peek(key: string): V | undefined {
    return this.slots.get(key)?.value;
  }

  /** Returns every entry, least recently used first. */
  values(): V[] {
    return [...this.slots.values()].map((slot) => slot.value);
  }

  /** Stores an entry as the most recently used one, then drops other entries that are not busy past `maxEntries`. */
  set(key: string, value: V): void {
    this.slots.delete(key);
    this.slots.set(key, { value, lastUsedAt: this.now() });
    this.evictOverflow(key);
  }

  /** Removes an entry. */
  delete(key: string): void {
    this.slots.delete(key);
  }

  /** Drops every entry idle for longer than `idleMs`; returns how many were dropped. */
  sweep(): number {
    const now = this.now();
    let dropped = 0;
    for (const [key, slot] of this.slots) {
      if (this.isExpired(slot, now)) {
        this.slots.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Number of entries held. */
  get size(): number {
    return this.slots.size;
  }

  private isExpired(slot: CacheSlot<V>, now: number): boolean {
    return now - slot.lastUsedAt > this.options.idleMs && !this.options.isBusy(slot.value);
  }

  private evictOverflow(keep: string): void {
    let excess = this.slots.size - this.options.maxEntries;
    if (excess <= 0) {
      return;
    }
    for (const [key, slot] of this.slots) {
      if (excess <= 0) {
        return;
      }
      if (key !== keep && !this.options.isBusy(slot.value)) {
        this.slots.delete(key);
        excess -= 1;
      }
    }
  }
}
