import { describe, expect, it } from 'vitest';
import { parseExportArgs, type ExportArguments } from '../../src/export/parse-export-args.ts';

function parsed(args: string[]): ExportArguments {
  const result = parseExportArgs(args);
  if ('error' in result || 'help' in result) {
    throw new Error(`expected arguments, got ${JSON.stringify(result)}`);
  }
  return result;
}

describe('parseExportArgs', () => {
  it('defaults to CSV on stdout', () => {
    expect(parsed(['HelloFlow'])).toEqual({
      runspec: { kind: 'runs', flow: 'HelloFlow', user: null, tags: [] },
      format: 'csv',
      tasks: false,
      limit: null,
      out: null,
      bom: true,
    });
  });

  it('merges runspec and option tags', () => {
    expect(parsed(['HelloFlow', 'tagged', 'prod', '--tag', 'team:ml', '--tag', 'prod']).runspec).toEqual({
      kind: 'runs',
      flow: 'HelloFlow',
      user: null,
      tags: ['prod', 'team:ml'],
    });
  });

  it('reads JSON from the extension', () => {
    expect(parsed(['HelloFlow', '--out', 'runs.JSON']).format).toBe('json');
  });

  it('prefers --format to the extension', () => {
    expect(parsed(['HelloFlow', '--out', 'runs.json', '--format', 'csv']).format).toBe('csv');
  });

  it('reads the limit', () => {
    expect(parsed(['HelloFlow', '--limit', '100']).limit).toBe(100);
  });

  it.each(['1.5', '-1', 'ten', '99999999999999999999'])('rejects limit %s', (limit) => {
    expect(parseExportArgs(['HelloFlow', '--limit', limit])).toEqual({ error: expect.stringContaining(`Invalid --limit ${JSON.stringify(limit)}`) });
  });

  it('rejects an unparsable runspec', () => {
    expect(parseExportArgs(['a/b/c'])).toEqual({ error: 'Invalid runspec "a/b/c": That is not a runspec I know.' });
  });
});
