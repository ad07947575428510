import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWholeFile } from '../../src/metaflow/local/read-whole-file.ts';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'read-whole-file-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Bytes 0 to 250, repeated, so that a misplaced chunk changes the content. */
function patternBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => index % 251));
}

describe('readWholeFile', () => {
  test.each([
    ['empty', 0],
    ['small', 300],
    ['one byte short of the first read', 16 * 1024 - 1],
    ['exactly the first read', 16 * 1024],
    ['one byte past the first read', 16 * 1024 + 1],
    ['large', 3 * 1024 * 1024 + 17],
  ])('reads a %s file', async (_name, length) => {
    const file = path.join(folder, `file-${length}`);
    const content = patternBytes(length);
    writeFileSync(file, content);
    expect((await readWholeFile(file)).equals(content)).toBe(true);
  });

  test('rejects a missing file with ENOENT', async () => {
    await expect(readWholeFile(path.join(folder, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('rejects a folder with EISDIR', async () => {
    await expect(readWholeFile(folder)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
