/** Settings of an `EventDeduplicator`. */
export interface EventDeduplicatorOptions {
  /** How long a key is remembered, in milliseconds. */
  ttlMs: number;
  /** Most keys remembered; past it the oldest are forgotten first. */
  maxKeys: number;
  /** Current time in epoch milliseconds; a parameter so that tests can move it. */
  now?: () => number;
}

/**
 * Remembers event ids (or other keys) for a while, so that a redelivered event is handled once.
 * Memory is bounded by `maxKeys`. Every key lives equally long, so insertion order is expiry
 * order and expired keys are dropped from the front of the map.
 */
export class EventDeduplicator {
  private readonly expiries = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: EventDeduplicatorOptions) {
    if (!Number.isInteger(options.maxKeys) || options.maxKeys < 1) {
      throw new RangeError(`EventDeduplicator maxKeys must be a positive integer, got ${options.maxKeys}.`);
    }
    this.now = options.now ?? Date.now;
  }

  /** Records `key` and returns true, or returns false when it was recorded within the last `ttlMs`. */
  firstSeen(key: string): boolean {
    const now = this.now();
    this.dropExpired(now);
    if (this.expiries.has(key)) {
      return false;
    }
    this.expiries.set(key, now + this.options.ttlMs);
    if (this.expiries.size > this.options.maxKeys) {
      const oldest = this.expiries.keys().next();
      if (!oldest.done) {
        this.expiries.delete(oldest.value);
      }
    }
    return true;
  }

  /** Number of keys remembered now. */
  get size(): number {
    return this.expiries.size;
  }

  private dropExpired(now: number): void {
    for (const [key, expiresAt] of this.expiries) {
      if (expiresAt > now) {
        return;
      }
      this.expiries.delete(key);
    }
  }
}
