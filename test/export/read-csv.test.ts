import { describe, expect, it } from 'vitest';
import { readCsv } from './read-csv.ts';

describe('readCsv', () => {
  it('splits plain records', () => {
    expect(readCsv('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reads quoted commas, quotes and line breaks', () => {
    expect(readCsv('a\r\n"x,""y""\r\nz"\r\n')).toEqual([['a'], ['x,"y"\r\nz']]);
  });

  it('keeps empty fields', () => {
    expect(readCsv('a,,c\r\n,,\r\n')).toEqual([['a', '', 'c'], ['', '', '']]);
  });

  it('skips the byte order mark', () => {
    expect(readCsv('\ufeffid\r\n1\r\n')).toEqual([['id'], ['1']]);
  });

  it('rejects a stray quote', () => {
    expect(() => readCsv('a"b\r\n')).toThrow(/quote inside/);
  });

  it('rejects an unclosed quote', () => {
    expect(() => readCsv('"abc\r\n')).toThrow(/Unclosed/);
  });
});
