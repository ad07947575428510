import { describe, expect, test } from 'vitest';
import { decodeArtifactBlob, pythonTypeName, renderRepr, type PyValue } from '../../src/metaflow/pickle/index.ts';
import { oracleArtifacts, readBlob } from './oracle-artifacts.ts';

/** ArtifactFlow's `start` task, which stores one artifact per built-in type. */
const startTask = 'ArtifactFlow/1796413164385022/start/1';
const artifacts = oracleArtifacts().filter((artifact) => artifact.pathspec === startTask);

/**
 * Artifacts whose repr knowingly differs from the oracle's, with the reason. `set_strings` is
 * `{'apple', 'banana'}`: a set's order comes from string hashes, which Python seeds per process,
 * so the pickle has the writing process's order and the oracle's reader printed another.
 */
const orderedDifferently = new Set(['set_strings']);

function decode(name: string): PyValue {
  const artifact = artifacts.find((candidate) => candidate.name === name);
  if (artifact === undefined) throw new Error(`ArtifactFlow start has no artifact ${name}`);
  return decodeArtifactBlob(readBlob(artifact.flow, artifact.sha));
}

describe('ArtifactFlow start artifacts', () => {
  test('start task has 43 artifacts', () => {
    expect(artifacts.length).toBe(43);
  });

  test.each(artifacts.filter((artifact) => !orderedDifferently.has(artifact.name)))('$name matches Python', (artifact) => {
    const value = decodeArtifactBlob(readBlob(artifact.flow, artifact.sha));
    const rendered = renderRepr(value, { maxLength: 500 });

    expect(rendered.text).toBe(artifact.repr);
    expect(rendered.length).toBe(artifact.repr_len);
    expect(rendered.truncated).toBe(artifact.repr_truncated);
    expect(pythonTypeName(value)).toBe(artifact.type_qualname);
  });

  test('set_strings has the same elements', () => {
    const artifact = artifacts.find((candidate) => candidate.name === 'set_strings');
    const value = decode('set_strings');
    const rendered = renderRepr(value, { maxLength: 500 });
    const items = value.kind === 'set' ? value.items.map((item) => renderRepr(item).text) : [];

    expect(value.kind).toBe('set');
    expect(items.sort()).toEqual(artifact?.repr.slice(1, -1).split(', ').sort());
    expect(rendered.length).toBe(artifact?.repr_len);
  });
});

describe('ArtifactFlow decoded values', () => {
  test('float keeps 2.0 apart from 2', () => {
    expect(decode('f_whole')).toEqual({ kind: 'float', value: 2 });
  });

  test('negative zero keeps its sign', () => {
    const value = decode('f_neg_zero');
    expect(value.kind).toBe('float');
    expect(value.kind === 'float' && Object.is(value.value, -0)).toBe(true);
  });

  test('big int is exact', () => {
    expect(decode('i_big')).toEqual({ kind: 'int', value: 2n ** 100n + 1n });
    expect(decode('i_big_negative')).toEqual({ kind: 'int', value: -(2n ** 70n) });
  });

  test('bool is its own kind', () => {
    expect(decode('b_true')).toEqual({ kind: 'bool', value: true });
  });

  test('None is its own kind', () => {
    expect(decode('none_value')).toEqual({ kind: 'none' });
  });

  test('dict keeps tuple and int keys in order', () => {
    const value = decode('d_nested');
    const keys = value.kind === 'dict' ? value.entries.map(([key]) => renderRepr(key).text) : [];
    expect(keys).toEqual(["'name'", "'params'", "'été'", '1', '(1, 2)']);
  });

  test('aware datetime keeps its zone', () => {
    const value = decode('dt_aware');
    expect(value.kind === 'datetime' ? value.tzinfo : undefined).toEqual({
      kind: 'timezone',
      offset: { kind: 'timedelta', days: 0, seconds: 0, microseconds: 0 },
      name: null,
    });
  });

  test('big list keeps a million ints', () => {
    const value = decode('big_list');
    expect(value.kind === 'list' ? value.items.length : 0).toBe(1_000_000);
    expect(value.kind === 'list' ? value.items[999_999] : undefined).toEqual({ kind: 'int', value: 999_999n });
  });

  test('big bytes keeps 4 MiB', () => {
    const value = decode('big_bytes');
    expect(value.kind === 'bytes' ? value.value.length : 0).toBe(4 * 1024 * 1024);
  });
});

describe('ArtifactFlow big values', () => {
  test('big list renders only the head', () => {
    const rendered = renderRepr(decode('big_list'), { maxLength: 40 });
    expect(rendered.text).toBe('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1');
    expect(rendered.length).toBe(7_888_890);
    expect(rendered.truncated).toBe(true);
  });

  test('big bytes renders only the head', () => {
    const rendered = renderRepr(decode('big_bytes'), { maxLength: 12 });
    expect(rendered.text).toBe("b'\\xc7(\\xc83");
    expect(rendered.length).toBe(12_039_573);
    expect(rendered.truncated).toBe(true);
  });
});
