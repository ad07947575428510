import { describe, expect, it } from 'vitest';
import { formatByteRange, parseContentRangeTotal } from '../../src/metaflow/s3/content-range.ts';

describe('parseContentRangeTotal', () => {
  it.each([
    ['bytes 0-99/1234', 1234],
    ['bytes 2935904-2939999/2940000', 2_940_000],
    ['bytes */500', 500],
  ])('reads total from %s', (header, total) => {
    expect(parseContentRangeTotal(header)).toBe(total);
  });

  it.each([[undefined], ['bytes 0-99/*'], ['items 0-9/10'], ['bytes 0-99'], ['']])('returns null for %s', (header) => {
    expect(parseContentRangeTotal(header)).toBeNull();
  });
});

describe('formatByteRange', () => {
  it('formats open range', () => {
    expect(formatByteRange(100)).toBe('bytes=100-');
  });

  it('formats exclusive end as last byte', () => {
    expect(formatByteRange(100, 200)).toBe('bytes=100-199');
  });
});
