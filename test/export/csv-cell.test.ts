import { describe, expect, it } from 'vitest';
import { formatCsvText, neutralizeFormula } from '../../src/export/csv-cell.ts';

describe('neutralizeFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tindented', "'\tindented"],
    ['\rreturn', "'\rreturn"],
    ['-1+2', "'-1+2"],
    ['-', "'-"],
  ])('prefixes %j', (text, expected) => {
    expect(neutralizeFormula(text)).toBe(expected);
  });

  it.each(['-0.5', '+3', '-1e-9', '-.5', '42', 'plain', '', '<!channel> hi @here', 'user:mallory', 'équipe-🚀', "'quoted"])(
    'keeps %j',
    (text) => {
      expect(neutralizeFormula(text)).toBe(text);
    },
  );
});

describe('formatCsvText', () => {
  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['car\rreturn', '"car\rreturn"'],
    [' padded', '" padded"'],
    ['plain', 'plain'],
    ['=1,2', '"\'=1,2"'],
  ])('formats %j', (text, expected) => {
    expect(formatCsvText(text)).toBe(expected);
  });
});
