import { describe, expect, test } from 'vitest';
import { toJsonValue, type PyList, type PyValue } from '../../src/metaflow/pickle/index.ts';

const str = (value: string): PyValue => ({ kind: 'str', value });
const int = (value: bigint): PyValue => ({ kind: 'int', value });
const float = (value: number): PyValue => ({ kind: 'float', value });

describe('toJsonValue exact forms', () => {
  test('None is null', () => {
    expect(toJsonValue({ kind: 'none' })).toBeNull();
  });

  test('bool stays bool', () => {
    expect(toJsonValue({ kind: 'bool', value: true })).toBe(true);
  });

  test('int within 2**53 is a number', () => {
    expect(toJsonValue(int(2n ** 53n))).toBe(2 ** 53);
    expect(toJsonValue(int(-(2n ** 53n)))).toBe(-(2 ** 53));
  });

  test('int beyond 2**53 is a string', () => {
    expect(toJsonValue(int(2n ** 53n + 1n))).toBe('9007199254740993');
  });

  test('finite float is a number', () => {
    expect(toJsonValue(float(2.5))).toBe(2.5);
  });

  test('list and tuple are arrays', () => {
    const tuple: PyValue = { kind: 'tuple', items: [int(1n), str('a')] };
    expect(toJsonValue({ kind: 'list', items: [tuple, { kind: 'none' }] })).toEqual([[1, 'a'], null]);
  });

  test('str-keyed dict is an object', () => {
    const dict: PyValue = { kind: 'dict', entries: [[str('lr'), float(0.1)], [str('__proto__'), int(1n)]] };
    const json = toJsonValue(dict) as Record<string, unknown>;
    expect(json).toEqual({ lr: 0.1, ['__proto__']: 1 });
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
  });
});

describe('toJsonValue repr fallback', () => {
  test('nan anywhere', () => {
    expect(toJsonValue({ kind: 'list', items: [float(1), float(NaN)] })).toBe('[1.0, nan]');
  });

  test('int-keyed dict', () => {
    expect(toJsonValue({ kind: 'dict', entries: [[int(1n), str('a')]] })).toBe("{1: 'a'}");
  });

  test('set', () => {
    expect(toJsonValue({ kind: 'set', items: [int(1n)] })).toBe('{1}');
  });

  test('datetime', () => {
    const date: PyValue = { kind: 'date', year: 2024, month: 2, day: 29 };
    expect(toJsonValue(date)).toBe('datetime.date(2024, 2, 29)');
  });

  test('list inside itself', () => {
    const list: PyList = { kind: 'list', items: [] };
    list.items.push(list);
    expect(toJsonValue(list)).toBe('[[...]]');
  });
});
