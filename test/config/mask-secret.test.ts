import { describe, expect, it } from 'vitest';
import { maskSecret, maskUrlCredentials } from '../../src/config/mask-secret.ts';

describe('maskSecret', () => {
  it('keeps the token type and last four', () => {
    expect(maskSecret('xoxb-1111-2222-abcdefghijkl')).toBe('xoxb-…ijkl');
    expect(maskSecret('xapp-1-A111-2222-mnopqrstuvwx')).toBe('xapp-…uvwx');
  });

  it('shows only the end of other secrets', () => {
    expect(maskSecret('0123456789abcdef0123456789abcdef')).toBe('…cdef');
  });

  it('hides short secrets entirely', () => {
    expect(maskSecret('abc123')).toBe('…');
    expect(maskSecret('xoxb-123456')).toBe('xoxb-…');
  });

  it('reveals at most four characters', () => {
    for (const secret of ['a', 'abcd', 'abcdefghijklmnop', 'xoxb-', 'xoxb-abcd', 'xoxb-1111-2222-abcdefghijkl']) {
      const revealed = maskSecret(secret).replace(/^(xox[a-z]|xapp)-/, '').replace('…', '');

      expect(maskSecret(secret)).not.toBe(secret);
      expect(revealed.length).toBeLessThanOrEqual(secret.length >= 16 ? 4 : 0);
    }
  });

  it('marks an empty secret', () => {
    expect(maskSecret('')).toBe('(empty)');
  });
});

describe('maskUrlCredentials', () => {
  it('hides the user name and password', () => {
    expect(maskUrlCredentials('http://user:s3cret@127.0.0.1:18080/api')).toBe('http://…@127.0.0.1:18080/api');
    expect(maskUrlCredentials('https://token@127.0.0.1')).toBe('https://…@127.0.0.1');
    expect(maskUrlCredentials('http:user:s3cret@127.0.0.1')).toBe('http:…@127.0.0.1');
    expect(maskUrlCredentials('http:\\\\user:s3cret@127.0.0.1')).toBe('http:\\\\…@127.0.0.1');
  });

  it('keeps an @ after the host', () => {
    for (const text of ['http://127.0.0.1:8080/api/ada@example', 'http://127.0.0.1/?to=a@b', 'http://127.0.0.1/#a@b', 's3://bucket/metaflow', 'not a URL']) {
      expect(maskUrlCredentials(text)).toBe(text);
    }
  });
});
