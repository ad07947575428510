import { describe, expect, it } from 'vitest';
import { isMetaflowError } from '../../src/metaflow/errors.ts';
import { isValidMetaflowName, validateMetaflowName, type MetaflowNameKind } from '../../src/metaflow/names.ts';

function rejection(kind: MetaflowNameKind, value: string): { code: string; message: string } | null {
  try {
    validateMetaflowName(kind, value);
    return null;
  } catch (error) {
    if (!isMetaflowError(error)) {
      throw error;
    }
    return { code: error.code, message: error.message };
  }
}

describe('validateMetaflowName', () => {
  const accepted: [MetaflowNameKind, string][] = [
    ['flow', 'HelloFlow'],
    ['flow', 'Été_Flow2'],
    ['run', '1796413072186822'],
    ['run', 'argo-helloflow-x7k2p'],
    ['run', 'argo-proj.prod.helloflow-x7k2p'],
    ['run', 'sfn-1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
    ['step', 'start'],
    ['step', '_parameters'],
    ['task', '26'],
    ['task', 't-abc_12'],
    ['artifact', '_task_ok'],
    ['artifact', 'big_list'],
  ];

  it.each(accepted)('accepts %s %s', (kind, value) => {
    expect(rejection(kind, value)).toBeNull();
  });

  const rejected: [MetaflowNameKind, string, string][] = [
    ['run', '../HelloFlow', 'contains a path separator'],
    ['run', '..', 'is a relative path segment'],
    ['task', '.', 'is a relative path segment'],
    ['flow', '/etc/passwd', 'contains a path separator'],
    ['step', 'start\\..\\end', 'contains a path separator'],
    ['run', '..%2F..%2Fetc', 'contains a percent-encoded path character'],
    ['run', '%2e%2e', 'contains a percent-encoded path character'],
    ['flow', 'Hello\u0000Flow', 'contains a NUL byte'],
    ['run', '', 'is empty'],
    ['run', '.hidden', 'does not have the allowed form'],
    ['run', 'run id', 'does not have the allowed form'],
    ['flow', '1Flow', 'does not have the allowed form'],
    ['step', 'train-model', 'does not have the allowed form'],
    ['artifact', 'x'.repeat(256), 'is longer than 255 bytes'],
  ];

  it.each(rejected)('rejects %s %j', (kind, value, reason) => {
    const result = rejection(kind, value);
    expect(result?.code).toBe('invalid_name');
    expect(result?.message).toContain(reason);
  });

  it('message names kind and value', () => {
    const result = rejection('run', '../etc');
    expect(result?.message).toMatch(/^Run id "\.\.\/etc" is invalid because it contains a path separator\./);
  });

  it('message shows NUL escaped', () => {
    expect(rejection('flow', 'a\u0000b')?.message).toContain('"a\\u0000b"');
  });
});

describe('isValidMetaflowName', () => {
  it('returns false for a rejected name', () => {
    expect(isValidMetaflowName('task', '../1')).toBe(false);
  });

  it('returns true for a valid name', () => {
    expect(isValidMetaflowName('task', '1')).toBe(true);
  });
});
