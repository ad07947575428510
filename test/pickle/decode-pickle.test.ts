import { describe, expect, test } from 'vitest';
import { decodePickle, pythonTypeName, renderRepr, type PyValue } from '../../src/metaflow/pickle/index.ts';

/** Bytes from a string of code points 0 to 255, so that pickles can be written like `pickletools` shows them. */
function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** Returns the repr of a hand-written pickle. CPython 3.11.7's `pickle.loads` gave the same repr for each one that it can load. */
function reprOf(pickle: string): string {
  return renderRepr(decodePickle(bytes(pickle))).text;
}

function decoded(pickle: string): PyValue {
  return decodePickle(bytes(pickle));
}

describe('decodePickle Python 2 opcodes', () => {
  test('STRING with escapes', () => {
    expect(reprOf("S'it\\'s\\n\\x41\\101'\n.")).toBe('"it\'s\\nAA"');
  });

  test('BINSTRING and SHORT_BINSTRING', () => {
    expect(reprOf('T\x02\x00\x00\x00ab.')).toBe("'ab'");
    expect(reprOf('U\x02cd.')).toBe("'cd'");
  });

  test('non-ASCII byte string', () => {
    expect(() => decodePickle(bytes('U\x01\xe9.'))).toThrow(/non-ASCII byte 0xe9/);
  });

  test('UNICODE with raw escapes', () => {
    expect(reprOf('V\\u00e9t\\U0001f680\n.')).toBe("'ét🚀'");
  });

  test('__builtin__ maps to builtins', () => {
    expect(reprOf("c__builtin__\nxrange\n(I0\nI5\nI1\ntR.")).toBe('range(0, 5)');
  });

  test('INST names the class', () => {
    const value = decoded('(I1\ni__main__\nOld\n.');
    expect(pythonTypeName(value)).toBe('__main__.Old');
    expect(value.kind === 'object' ? value.args : []).toEqual([{ kind: 'int', value: 1n }]);
  });

  test('OBJ names the class', () => {
    expect(pythonTypeName(decoded('(c__main__\nOld\nK\x02o.'))).toBe('__main__.Old');
  });
});

describe('decodePickle stack opcodes', () => {
  test('POP drops the top', () => {
    expect(reprOf('\x80\x04K\x01K\x020.')).toBe('1');
  });

  test('POP_MARK drops to the mark', () => {
    expect(reprOf('\x80\x04K\x01(K\x02K\x031.')).toBe('1');
  });

  test('POP on a mark drops the mark', () => {
    expect(reprOf('\x80\x04K\x01(0.')).toBe('1');
  });

  test('DUP shares the value', () => {
    expect(reprOf('\x80\x04]2\x86.')).toBe('([], [])');
  });

  test('PUT and GET by line', () => {
    expect(reprOf('(lp7\nI1\nag7\n.')).toBe('[1]');
  });

  test('LONG_BINPUT and LONG_BINGET', () => {
    expect(reprOf('\x80\x04]r\x00\x01\x00\x00j\x00\x01\x00\x00\x86.')).toBe('([], [])');
  });

  test('READONLY_BUFFER keeps the bytes', () => {
    expect(reprOf('\x80\x05C\x01a\x98.')).toBe("b'a'");
  });

  test('BYTEARRAY8', () => {
    expect(reprOf('\x80\x05\x96\x01\x00\x00\x00\x00\x00\x00\x00z.')).toBe("bytearray(b'z')");
  });
});

describe('decodePickle objects', () => {
  test('copyreg reconstructor names the class', () => {
    const value = decoded("ccopyreg\n_reconstructor\n(c__main__\nPoint\ncbuiltins\nobject\nNtR}S'x'\nI1\nsb.");
    expect(pythonTypeName(value)).toBe('__main__.Point');
    expect(value.kind === 'object' ? value.state : null).toEqual({ kind: 'dict', entries: [[{ kind: 'str', value: 'x' }, { kind: 'int', value: 1n }]] });
  });

  test('numpy reconstruct names the array', () => {
    const pickle = '\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85C\x01b\x87R.';
    expect(pythonTypeName(decoded(pickle))).toBe('numpy.ndarray');
    expect(reprOf(pickle)).toBe('<numpy.ndarray object, not shown>');
  });

  test('NEWOBJ_EX keeps keyword arguments', () => {
    const value = decoded('\x80\x04\x8c\x08__main__\x8c\x01K\x93)}\x8c\x01a\x94K\x01s\x92.');
    expect(value.kind === 'object' ? value.kwargs : null).toEqual({ kind: 'dict', entries: [[{ kind: 'str', value: 'a' }, { kind: 'int', value: 1n }]] });
  });

  test('list subclass keeps appended items', () => {
    const value = decoded('\x80\x04\x8c\x08__main__\x8c\x06MyList\x93)\x81(K\x01K\x02e.');
    expect(value.kind === 'object' ? value.items : []).toEqual([{ kind: 'int', value: 1n }, { kind: 'int', value: 2n }]);
  });

  test('datetime with a named offset', () => {
    const offset = '\x8c\x08datetime\x8c\x09timedelta\x93K\x00M\x10\x0eK\x00\x87R';
    const zone = `\x8c\x08datetime\x8c\x08timezone\x93${offset}\x8c\x03CET\x86R`;
    const pickle = `\x80\x04\x8c\x08datetime\x8c\x08datetime\x93C\x0a\x07\xe8\x01\x02\x03\x04\x05\x00\x00\x00${zone}\x86R.`;
    expect(reprOf(pickle)).toBe(
      "datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=3600), 'CET'))",
    );
  });

  test('datetime with a bad month stays opaque', () => {
    const pickle = '\x80\x04\x8c\x08datetime\x8c\x08datetime\x93C\x0a\x07\xe8\x0d\x02\x03\x04\x05\x00\x00\x00\x85R.';
    expect(reprOf(pickle)).toBe('<datetime.datetime object, not shown>');
  });
});
