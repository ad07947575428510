import { describe, expect, it } from 'vitest';
import { EventDeduplicator } from '../../src/slack/event-deduplicator.ts';

describe('EventDeduplicator', () => {
  it('reports a key once within its lifetime', () => {
    const dedup = new EventDeduplicator({ ttlMs: 1_000, maxKeys: 10, now: () => 0 });
    expect(dedup.firstSeen('Ev1')).toBe(true);
    expect(dedup.firstSeen('Ev1')).toBe(false);
    expect(dedup.firstSeen('Ev2')).toBe(true);
  });

  it('forgets a key after its lifetime', () => {
    let now = 0;
    const dedup = new EventDeduplicator({ ttlMs: 1_000, maxKeys: 10, now: () => now });
    dedup.firstSeen('Ev1');
    now = 1_000;
    expect(dedup.firstSeen('Ev1')).toBe(true);
    expect(dedup.size).toBe(1);
  });

  it('drops the oldest keys past its bound', () => {
    const dedup = new EventDeduplicator({ ttlMs: 60_000, maxKeys: 2, now: () => 0 });
    dedup.firstSeen('Ev1');
    dedup.firstSeen('Ev2');
    dedup.firstSeen('Ev3');
    expect(dedup.size).toBe(2);
    expect(dedup.firstSeen('Ev3')).toBe(false);
    expect(dedup.firstSeen('Ev1')).toBe(true);
  });

  it('rejects a bound below one', () => {
    expect(() => new EventDeduplicator({ ttlMs: 1, maxKeys: 0 })).toThrow(RangeError);
  });
});
