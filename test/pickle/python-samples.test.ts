import { describe, expect, test } from 'vitest';
import { decodePickle, pythonTypeName, renderRepr } from '../../src/metaflow/pickle/index.ts';
import { pythonSamples } from './python-samples.ts';

function decodeHex(hex: string): ReturnType<typeof decodePickle> {
  return decodePickle(Buffer.from(hex, 'hex'));
}

describe('CPython samples', () => {
  test.each(pythonSamples)('$source (protocol $protocol)', (sample) => {
    const value = decodeHex(sample.pickle);
    const rendered = renderRepr(value);

    expect(rendered.text).toBe(sample.repr);
    expect(rendered.length).toBe([...sample.repr].length);
    expect(pythonTypeName(value)).toBe(sample.type);
  });
});

/**
 * Values the decoder keeps opaque, although Python prints more. Each pickle is CPython 3.11's
 * `pickle.dumps(value, 4)`. The standard-library containers have a repr that changed across
 * Python versions (OrderedDict's did in 3.12), and a class or function reference would need
 * importing its module to tell which it is.
 */
const opaqueSamples = [
  {
    source: 'collections.OrderedDict(a=1)',
    pickle: '80049529000000000000008c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952948c0161944b01732e',
    python: "OrderedDict([('a', 1)])",
    shown: '<collections.OrderedDict object, not shown>',
    type: 'collections.OrderedDict',
  },
  {
    source: 'collections.deque([1, 2])',
    pickle: '80049522000000000000008c0b636f6c6c656374696f6e73948c056465717565949394295294284b014b02652e',
    python: 'deque([1, 2])',
    shown: '<collections.deque object, not shown>',
    type: 'collections.deque',
  },
  {
    source: 'fractions.Fraction(1, 3)',
    pickle: '80049522000000000000008c096672616374696f6e73948c084672616374696f6e9493944b014b03869452942e',
    python: 'Fraction(1, 3)',
    shown: '<fractions.Fraction object, not shown>',
    type: 'fractions.Fraction',
  },
  {
    source: 'slice(1, 2)',
    pickle: '8004951f000000000000008c086275696c74696e73948c05736c6963659493944b014b024e879452942e',
    python: 'slice(1, 2, None)',
    shown: '<slice object, not shown>',
    type: 'slice',
  },
  {
    source: 'int',
    pickle: '80049514000000000000008c086275696c74696e73948c03696e749493942e',
    python: "<class 'int'>",
    shown: '<global builtins.int, not shown>',
    type: 'global',
  },
  {
    source: 'len',
    pickle: '80049514000000000000008c086275696c74696e73948c036c656e9493942e',
    python: '<built-in function len>',
    shown: '<global builtins.len, not shown>',
    type: 'global',
  },
];

describe('CPython samples kept opaque', () => {
  test.each(opaqueSamples)('$source', (sample) => {
    const value = decodeHex(sample.pickle);

    expect(renderRepr(value).text).toBe(sample.shown);
    expect(renderRepr(value).text).not.toBe(sample.python);
    expect(pythonTypeName(value)).toBe(sample.type);
  });

  test('OrderedDict keeps its items', () => {
    const value = decodeHex(opaqueSamples[0]?.pickle ?? '');
    expect(value.kind === 'object' ? value.entries : []).toEqual([[{ kind: 'str', value: 'a' }, { kind: 'int', value: 1n }]]);
  });

  test('deque keeps its items', () => {
    const value = decodeHex(opaqueSamples[1]?.pickle ?? '');
    expect(value.kind === 'object' ? value.items : []).toEqual([{ kind: 'int', value: 1n }, { kind: 'int', value: 2n }]);
  });
});
