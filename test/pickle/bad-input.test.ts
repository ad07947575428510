import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { MetaflowError } from '../../src/metaflow/errors.ts';
import { decodeArtifactBlob, decodePickle, renderRepr } from '../../src/metaflow/pickle/index.ts';
import { oracleArtifacts, readBlob } from './oracle-artifacts.ts';

/** Bytes from a string of code points 0 to 255, so that pickles can be written like `pickletools` shows them. */
function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}

/** Runs `action` and returns the error it throws, failing the test when it throws none. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}

function expectCorrupt(action: () => unknown, message: RegExp): void {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(MetaflowError);
  expect((error as MetaflowError).code).toBe('corrupt_data');
  expect((error as MetaflowError).message).toMatch(message);
}

function fixturePickle(name: string): Uint8Array {
  const artifact = oracleArtifacts().find((candidate) => candidate.pathspec.endsWith('/start/1') && candidate.name === name);
  if (artifact === undefined) throw new Error(`ArtifactFlow start has no artifact ${name}`);
  return gunzipSync(readBlob(artifact.flow, artifact.sha));
}

/** Park and Miller's generator, so that the random bytes are the same on every run. */
function seededBytes(seed: number, length: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (state * 48_271) % 2_147_483_647;
    return state & 0xff;
  });
}

describe('decodePickle bad input', () => {
  test('empty input', () => {
    expectCorrupt(() => decodePickle(new Uint8Array()), /^The pickle is empty\.$/);
  });

  test.each(['d_nested', 'dt_aware', 's_unicode', 'i_big', 'l_mixed'])('every prefix of %s', (name) => {
    const pickle = fixturePickle(name);
    for (let length = 1; length < pickle.length; length += 1) {
      expectCorrupt(() => decodePickle(pickle.subarray(0, length)), /truncated/);
    }
  });

  test('unknown opcode', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04\xff.')), /byte 2 is 0xff, which is not a pickle opcode/);
  });

  test('protocol newer than 5', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x06N.')), /pickle protocol 6 is newer/);
  });

  test('STOP on empty stack', () => {
    expectCorrupt(() => decodePickle(bytes('.')), /STOP at byte 0: .*stack is empty/);
  });

  test('memo index never stored', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04h\x05.')), /memo index 5 was never stored/);
  });

  test('length beyond the data', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04\x8e\xff\xff\xff\xff\x00\x00\x00\x00abc.')), /BINBYTES8 .*truncated/);
  });

  test('negative LONG4 length', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04\x8b\xff\xff\xff\xff.')), /length -1 is negative/);
  });

  test('invalid UTF-8 in a str', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04\x8c\x02\xff\xfe.')), /not valid UTF-8/);
  });

  test('BUILD on a list', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04]}b.')), /BUILD sets state on a list/);
  });

  test('call on an int', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04K\x01)R.')), /calls a int, which is not callable/);
  });

  test('persistent ID', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x04K\x01Q.')), /persistent ID/);
  });

  test('out-of-band buffer', () => {
    expectCorrupt(() => decodePickle(bytes('\x80\x05\x97.')), /out-of-band buffer/);
  });

  test('random bytes', () => {
    expectCorrupt(() => decodePickle(seededBytes(7, 64)), /pickle/);
  });

  test('random bytes never escape as other errors', () => {
    for (let seed = 1; seed <= 2000; seed += 1) {
      const data = seededBytes(seed, 1 + (seed % 48));
      const outcome = thrownBy(() => {
        decodePickle(data);
        throw new MetaflowError('corrupt_data', 'decoded without an error');
      });
      expect(outcome).toBeInstanceOf(MetaflowError);
    }
  });
});

describe('decodePickle globals', () => {
  // Written by CPython 3.11 for an object whose __reduce__ returns (os.system, ('echo pwned',)).
  const osSystemProtocol0 = "cposix\nsystem\np0\n(Vecho pwned\np1\ntp2\nRp3\n.";
  const osSystemProtocol4 = '\x80\x04\x95\x25\x00\x00\x00\x00\x00\x00\x00\x8c\x05posix\x94\x8c\x06system\x94\x93\x94\x8c\x0aecho pwned\x94\x85\x94R\x94.';

  test.each([
    ['protocol 0', osSystemProtocol0],
    ['protocol 4', osSystemProtocol4],
  ])('os.system call stays data (%s)', (_protocol, pickle) => {
    expect(decodePickle(bytes(pickle))).toEqual({
      kind: 'object',
      module: 'posix',
      qualname: 'system',
      args: [{ kind: 'str', value: 'echo pwned' }],
      kwargs: null,
      state: null,
      items: [],
      entries: [],
    });
  });

  test('os.system call renders as opaque', () => {
    expect(renderRepr(decodePickle(bytes(osSystemProtocol4))).text).toBe('<posix.system object, not shown>');
  });

  test('bare global stays a name', () => {
    expect(decodePickle(bytes('\x80\x04\x8c\x02os\x8c\x06system\x93.'))).toEqual({ kind: 'global', module: 'os', name: 'system' });
  });
});

describe('decodeArtifactBlob bad input', () => {
  const blob = readBlob('ArtifactFlow', 'cc47764627eb3fa9256d05960c48e4741b550aa5');

  test('truncated gzip', () => {
    expectCorrupt(() => decodeArtifactBlob(blob.subarray(0, blob.length - 10)), /not a complete gzip stream/);
  });

  test('raw pickle instead of gzip', () => {
    expectCorrupt(() => decodeArtifactBlob(gunzipSync(blob)), /not a complete gzip stream/);
  });

  test('empty blob', () => {
    expectCorrupt(() => decodeArtifactBlob(new Uint8Array()), /not a complete gzip stream/);
  });
});
