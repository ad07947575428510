import { describe, expect, test } from 'vitest';
import { renderRepr, type PyList, type PyValue } from '../../src/metaflow/pickle/index.ts';

const str = (value: string): PyValue => ({ kind: 'str', value });
const int = (value: number): PyValue => ({ kind: 'int', value: BigInt(value) });

describe('renderRepr maxLength', () => {
  test('cut keeps surrogate pairs whole', () => {
    const rendered = renderRepr(str('🚀🚀🚀'), { maxLength: 3 });
    expect(rendered.text).toBe("'🚀🚀");
    expect(rendered.length).toBe(5);
    expect(rendered.truncated).toBe(true);
  });

  test('cut inside an escape', () => {
    const rendered = renderRepr(str('a\nb'), { maxLength: 3 });
    expect(rendered.text).toBe("'a\\");
    expect(rendered.length).toBe(6);
  });

  test('zero keeps nothing', () => {
    expect(renderRepr(int(42), { maxLength: 0 })).toEqual({ text: '', length: 2, truncated: true });
  });

  test('exact fit is not truncated', () => {
    expect(renderRepr(int(42), { maxLength: 2 })).toEqual({ text: '42', length: 2, truncated: false });
  });

  test('negative is rejected', () => {
    expect(() => renderRepr(int(1), { maxLength: -1 })).toThrow(RangeError);
  });

  test('escapes past the cut are counted', () => {
    const rendered = renderRepr(str('\n'.repeat(100_000) + '\u200b'), { maxLength: 10 });
    expect(rendered.length).toBe(200_000 + 6 + 2);
  });

  test('bytes past the cut are counted', () => {
    const rendered = renderRepr({ kind: 'bytes', value: Uint8Array.from([0, 0x41, 0x27, 0x5c]) }, { maxLength: 4 });
    // The whole repr is b"\x00A'\\": double quotes, because the bytes contain a single quote.
    expect(rendered.text).toBe('b"\\x');
    expect(rendered.length).toBe(11);
  });
});

describe('renderRepr cycles', () => {
  test('list inside itself', () => {
    const list: PyList = { kind: 'list', items: [int(1)] };
    list.items.push(list);
    expect(renderRepr(list).text).toBe('[1, [...]]');
  });

  test('dict inside itself', () => {
    const dict: PyValue = { kind: 'dict', entries: [] };
    dict.entries.push([str('self'), dict]);
    expect(renderRepr(dict).text).toBe("{'self': {...}}");
  });

  test('set inside itself', () => {
    const set: PyValue = { kind: 'set', items: [] };
    set.items.push(set);
    expect(renderRepr(set).text).toBe('{set(...)}');
  });

  test('cycle counted past the cut', () => {
    const list: PyList = { kind: 'list', items: [] };
    list.items.push(list, list);
    expect(renderRepr(list, { maxLength: 1 }).length).toBe('[[...], [...]]'.length);
  });
});

describe('renderRepr shared containers', () => {
  test('shared list measured once', () => {
    // Each level contains the level below twice, so the repr has 2**40 leaves.
    let level: PyValue = int(0);
    for (let depth = 0; depth < 40; depth += 1) {
      level = { kind: 'list', items: [level, level] };
    }
    const rendered = renderRepr(level, { maxLength: 10 });
    expect(rendered.text).toBe('[[[[[[[[[[');
    expect(rendered.length).toBe(5 * 2 ** 40 - 4);
  });

  test('deep nesting stops at depth 1000', () => {
    let level: PyValue = int(0);
    for (let depth = 0; depth < 5000; depth += 1) {
      level = { kind: 'list', items: [level] };
    }
    const rendered = renderRepr(level);
    expect(rendered.text).toBe(`${'['.repeat(1000)}...${']'.repeat(1000)}`);
  });
});

describe('renderRepr values', () => {
  test('empty set and frozenset', () => {
    expect(renderRepr({ kind: 'set', items: [] }).text).toBe('set()');
    expect(renderRepr({ kind: 'frozenset', items: [] }).text).toBe('frozenset()');
  });

  test('one-item tuple', () => {
    expect(renderRepr({ kind: 'tuple', items: [str('only')] }).text).toBe("('only',)");
  });

  test('range with step 1', () => {
    expect(renderRepr({ kind: 'range', start: 0n, stop: 10n, step: 1n }).text).toBe('range(0, 10)');
  });

  test('zoneinfo', () => {
    expect(renderRepr({ kind: 'zoneinfo', key: 'Europe/Paris' }).text).toBe("zoneinfo.ZoneInfo(key='Europe/Paris')");
  });

  test('unknown object', () => {
    const array: PyValue = { kind: 'object', module: 'numpy', qualname: 'ndarray', args: [], kwargs: null, state: null, items: [], entries: [] };
    expect(renderRepr({ kind: 'list', items: [array] }).text).toBe('[<numpy.ndarray object, not shown>]');
  });

  test('exception wrapper without traceback', () => {
    const wrapper: PyValue = {
      kind: 'object',
      module: 'metaflow.exception',
      qualname: 'MetaflowExceptionWrapper',
      args: [{ kind: 'none' }],
      kwargs: null,
      state: {
        kind: 'dict',
        entries: [
          [str('exception'), str('bad value')],
          [str('type'), str('builtins.ValueError')],
          [str('stacktrace'), { kind: 'none' }],
        ],
      },
      items: [],
      entries: [],
    };
    expect(renderRepr(wrapper).text).toBe('[no stacktrace]\nbuiltins.ValueError: bad value');
  });

  test('exception wrapper without state', () => {
    const wrapper: PyValue = {
      kind: 'object',
      module: 'metaflow.exception',
      qualname: 'MetaflowExceptionWrapper',
      args: [],
      kwargs: null,
      state: null,
      items: [],
      entries: [],
    };
    expect(renderRepr(wrapper).text).toBe('<metaflow.exception.MetaflowExceptionWrapper object, not shown>');
  });
});
