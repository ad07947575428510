import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/metaflow/lru-cache.ts';

describe('LruCache', () => {
  it('returns stored values', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
  });

  it('drops least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces value of existing key', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 5);
    expect(cache.get('a')).toBe(5);
    expect(cache.size).toBe(1);
  });

  it('rejects non-positive size', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
