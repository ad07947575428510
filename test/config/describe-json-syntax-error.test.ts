import { describe, expect, it } from 'vitest';
import { describeJsonSyntaxError } from '../../src/config/describe-json-syntax-error.ts';

const secret = 'mfkey-0123456789abcdefghijklmnop';

function describeParse(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return describeJsonSyntaxError(error, text);
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid JSON`);
}

describe('describeJsonSyntaxError', () => {
  it('drops a whole excerpt', () => {
    expect(describeParse(`{"a": ${secret.slice(0, 8)}}`)).toBe("Unexpected token 'm'");
  });

  it('drops an excerpt cut at both ends', () => {
    const text = `{"METAFLOW_SERVICE_AUTH_KEY": ${secret}, "METAFLOW_SERVICE_URL": "http://127.0.0.1:8080"}`;

    const detail = describeParse(text);

    expect(detail).toBe("Unexpected token 'm'");
    expect(detail).not.toContain('mfkey');
  });

  it('turns a position into line and column', () => {
    expect(describeParse('{\n  "a": 1,\n}')).toBe('Expected double-quoted property name at line 3, column 1');
  });
});
