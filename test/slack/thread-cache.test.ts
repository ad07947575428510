import { describe, expect, it } from 'vitest';
import { ThreadCache } from '../../src/slack/thread-cache.ts';

function cacheAt(clock: { now: number }, busy: Set<string> = new Set(), maxEntries = 2) {
  return new ThreadCache<string>({ maxEntries, idleMs: 1_000, now: () => clock.now, isBusy: (value) => busy.has(value) });
}

describe('ThreadCache', () => {
  it('drops the least recently used past its count', () => {
    const cache = cacheAt({ now: 0 });
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.get('a');
    cache.set('c', 'C');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
  });

  it('keeps busy entries past its count', () => {
    const cache = cacheAt({ now: 0 }, new Set(['A', 'B']));
    cache.set('a', 'A');
    cache.set('b', 'B');
    cache.set('c', 'C');
    expect(cache.size).toBe(3);
    cache.set('d', 'D');
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('forgets an idle entry on read', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.set('a', 'A');
    clock.now = 1_001;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps an entry that is read in time', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock);
    cache.set('a', 'A');
    clock.now = 900;
    cache.get('a');
    clock.now = 1_800;
    expect(cache.get('a')).toBe('A');
  });

  it('sweeps idle entries but not busy ones', () => {
    const clock = { now: 0 };
    const cache = cacheAt(clock, new Set(['B']), 10);
    cache.set('a', 'A');
    cache.set('b', 'B');
    clock.now = 5_000;
    expect(cache.sweep()).toBe(1);
    expect(cache.peek('b')).toBe('B');
  });
});
