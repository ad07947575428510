import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { encodePickle } from '../../bench/datastore/encode-pickle.ts';
import { decodePickle, type PyValue } from '../../src/metaflow/pickle/index.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';

interface FixturePickle {
  name: string;
  pickle: Buffer;
  value: PyValue;
}

/** Every pickle of the fixture datastore, uncompressed and decoded. */
function readFixturePickles(): FixturePickle[] {
  const datastore = path.join(metaflowLocalRoot, '.metaflow');
  return readdirSync(datastore).flatMap((flow) =>
    readdirSync(path.join(datastore, flow, 'data')).flatMap((prefix) =>
      readdirSync(path.join(datastore, flow, 'data', prefix))
        .filter((name) => !name.endsWith('_meta'))
        .map((sha) => {
          const pickle = gunzipSync(readFileSync(path.join(datastore, flow, 'data', prefix, sha)));
          return { name: `${flow}/${sha}`, pickle, value: decodePickle(pickle) };
        }),
    ),
  );
}

/**
 * True when the value contains only what the encoder writes. Objects are limited to
 * `__main__.ForeachFrame`, which Python writes with NEWOBJ; other classes in the fixture are
 * written with REDUCE, which the encoder does not reproduce.
 */
function isEncodable(value: PyValue, seen = new Set<PyValue>()): boolean {
  if (seen.has(value)) {
    return true;
  }
  seen.add(value);
  switch (value.kind) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
      return true;
    case 'list':
    case 'tuple':
      return value.items.every((item) => isEncodable(item, seen));
    case 'dict':
      return value.entries.every(([key, item]) => isEncodable(key, seen) && isEncodable(item, seen));
    case 'object':
      return value.module === '__main__' && value.qualname === 'ForeachFrame' && value.args.every((item) => isEncodable(item, seen));
    default:
      return false;
  }
}

const str = (value: string): PyValue => ({ kind: 'str', value });
const int = (value: bigint): PyValue => ({ kind: 'int', value });

describe('encodePickle', () => {
  const fixtures = readFixturePickles().filter((fixture) => isEncodable(fixture.value));

  test('fixture has encodable pickles', () => {
    expect(fixtures.length).toBeGreaterThan(200);
  });

  test('reproduces fixture pickles byte for byte', () => {
    const different = fixtures.filter((fixture) => !encodePickle(fixture.value).equals(fixture.pickle)).map((fixture) => fixture.name);
    expect(different).toEqual([]);
  });

  test.each([
    ['zero', 0n],
    ['byte limit', 255n],
    ['two-byte int', 256n],
    ['two-byte limit', 65_535n],
    ['four-byte int', 65_536n],
    ['negative', -1n],
    ['int32 minimum', -(2n ** 31n)],
    ['int32 maximum', 2n ** 31n - 1n],
    ['long', 2n ** 100n + 1n],
    ['negative long', -(2n ** 70n)],
    ['long on a byte edge', 2n ** 63n],
  ])('round-trips int %s', (_name, value) => {
    expect(decodePickle(encodePickle(int(value)))).toEqual(int(value));
  });

  test('round-trips -0.0', () => {
    expect(Object.is((decodePickle(encodePickle({ kind: 'float', value: -0 })) as { value: number }).value, -0)).toBe(true);
  });

  test('round-trips a 100,000-item list', () => {
    const value: PyValue = { kind: 'list', items: Array.from({ length: 100_000 }, (_, index) => ({ kind: 'float', value: index / 7 })) };
    expect(decodePickle(encodePickle(value))).toEqual(value);
  });

  test('frames a large list in 64 KiB frames', () => {
    const pickle = encodePickle({ kind: 'list', items: Array.from({ length: 20_000 }, (_, index) => ({ kind: 'float', value: index / 7 })) });
    // Python 3.11 closes the first frame after the item that passes 65,536 bytes: 65,537 here.
    expect(pickle.readBigUInt64LE(3)).toBe(65_537n);
  });

  test('round-trips a long str', () => {
    const value = str('x'.repeat(70_000));
    expect(decodePickle(encodePickle(value))).toEqual(value);
  });

  test('writes a repeated str once', () => {
    const pickle = encodePickle({ kind: 'list', items: [str('same'), str('same')] });
    expect(pickle.indexOf('same', pickle.indexOf('same') + 1)).toBe(-1);
  });

  test('rejects a set', () => {
    expect(() => encodePickle({ kind: 'set', items: [] })).toThrow(/cannot write a Python set/);
  });
});
