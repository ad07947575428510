import { describe, expect, it } from 'vitest';
import { formatRunspec, parseRunspec, type Runspec } from '../../src/machines/runspec.ts';

const forms: Array<[string, Runspec]> = [
  ['HelloFlow/1796413072186822', { kind: 'pathspec', flow: 'HelloFlow', runId: '1796413072186822' }],
  ['HelloFlow', { kind: 'runs', flow: 'HelloFlow', user: null, tags: [] }],
  ["alice's HelloFlow", { kind: 'runs', flow: 'HelloFlow', user: 'alice', tags: [] }],
  ["alice's latest run of HelloFlow", { kind: 'latest', flow: 'HelloFlow', user: 'alice', tags: [], successful: false }],
  ['the latest run of HelloFlow', { kind: 'latest', flow: 'HelloFlow', user: null, tags: [], successful: false }],
  ['the latest successful run of HelloFlow', { kind: 'latest', flow: 'HelloFlow', user: null, tags: [], successful: true }],
  ['HelloFlow tagged prod', { kind: 'runs', flow: 'HelloFlow', user: null, tags: ['prod'] }],
  ["bob's HelloFlow tagged prod tagged experiment_1", { kind: 'runs', flow: 'HelloFlow', user: 'bob', tags: ['prod', 'experiment_1'] }],
  ['latest run of HelloFlow', { kind: 'latest', flow: 'HelloFlow', user: null, tags: [], successful: false }],
];

describe('parseRunspec', () => {
  it.each(forms)('parses %s', (text, expected) => {
    expect(parseRunspec(text)).toEqual(expected);
  });

  it.each(forms)('formats %s back to a parseable form', (text, expected) => {
    expect(parseRunspec(formatRunspec(expected))).toEqual(expected);
  });

  it('accepts a curly apostrophe', () => {
    expect(parseRunspec('alice’s HelloFlow')).toEqual({ kind: 'runs', flow: 'HelloFlow', user: 'alice', tags: [] });
  });

  it('rejects a tag on a pathspec', () => {
    expect(parseRunspec('HelloFlow/1 tagged prod')).toHaveProperty('error');
  });

  it('rejects words it cannot read', () => {
    expect(parseRunspec('all the runs please')).toHaveProperty('error');
  });

  it('keeps a path traversal for the reader to reject', () => {
    expect(parseRunspec('../../etc/passwd')).toHaveProperty('error');
    expect(parseRunspec('../etc')).toEqual({ kind: 'pathspec', flow: '..', runId: 'etc' });
  });
});
