import { describe, expect, it } from 'vitest';
import { isMetaflowError } from '../../src/metaflow/errors.ts';
import { buildObjectKey } from '../../src/metaflow/s3/object-key.ts';

function errorCodeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isMetaflowError(error) ? error.code : 'not a MetaflowError';
  }
  return undefined;
}

describe('buildObjectKey', () => {
  it('joins segments under prefix', () => {
    expect(buildObjectKey('team/metaflow', ['HelloFlow', 'data', 'ab', 'ab12'])).toBe('team/metaflow/HelloFlow/data/ab/ab12');
  });

  it('joins segments at bucket root', () => {
    expect(buildObjectKey('', ['HelloFlow', '17', 'start', '1', '0.runtime_stdout.log'])).toBe('HelloFlow/17/start/1/0.runtime_stdout.log');
  });

  it('keeps dots inside segments', () => {
    expect(buildObjectKey('m', ['proj.branch.Flow', '..x', 'a..'])).toBe('m/proj.branch.Flow/..x/a..');
  });

  it.each([
    ['empty key', []],
    ['empty segment', ['HelloFlow', '', 'data']],
    ['dot segment', ['HelloFlow', '.', 'data']],
    ['dot-dot segment', ['HelloFlow', '..', 'data']],
    ['slash in segment', ['HelloFlow', 'data/ab']],
  ])('rejects %s', (_case, segments) => {
    expect(errorCodeOf(() => buildObjectKey('m', segments))).toBe('invalid_name');
  });
});
