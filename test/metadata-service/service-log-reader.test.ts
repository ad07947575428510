import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { BlobStore } from '../../src/metaflow/blob-store.ts';
import { LocalBlobStore } from '../../src/metaflow/local-blob-store.ts';
import { readServiceLog } from '../../src/metaflow/service/service-log-reader.ts';

const root = mkdtempSync(path.join(tmpdir(), 'service-log-'));
const taskKey = ['BigLogFlow', '1', 'start', '2'];
const lineCount = 20_000;

/** An MFLOG line as the runtime writes it, one second apart. */
function mflogLine(index: number): string {
  const time = new Date(Date.UTC(2026, 11, 4, 19, 0, 0) + index * 1000).toISOString().replace('Z', '000Z');
  return `[MFLOG|0|${time}|runtime|00000000-0000-0000-0000-000000000000]line ${index} ${'x'.repeat(40)}\n`;
}

mkdirSync(path.join(root, ...taskKey), { recursive: true });
const logText = Array.from({ length: lineCount }, (_, index) => mflogLine(index)).join('');
writeFileSync(path.join(root, ...taskKey, '0.runtime_stdout.log'), logText);
writeFileSync(path.join(root, ...taskKey, '0.runtime_stderr.log'), mflogLine(0) + mflogLine(1));

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A local store that counts the bytes it hands out. */
function countingStore(): { store: BlobStore; bytesRead: () => number } {
  const local = new LocalBlobStore(root);
  let bytes = 0;
  const store: BlobStore = {
    description: local.description,
    size: (key) => local.size(key),
    read: async (key) => {
      const result = await local.read(key);
      bytes += result?.length ?? 0;
      return result;
    },
    readRange: async (key, start, end) => {
      const result = await local.readRange(key, start, end);
      bytes += result?.bytes.length ?? 0;
      return result;
    },
  };
  return { store, bytesRead: () => bytes };
}

describe('readServiceLog', () => {
  test('tail reads only the end', async () => {
    const { store, bytesRead } = countingStore();
    await readServiceLog(store, taskKey, 0, 'stdout', { tailLines: 40 });
    expect(bytesRead()).toBeLessThanOrEqual(64 * 1024);
  });

  test('tail lines are the last ones', async () => {
    const { store } = countingStore();
    const tail = await readServiceLog(store, taskKey, 0, 'stdout', { tailLines: 3 });
    expect(tail.lines.map((line) => line.text.split(' ').slice(0, 2).join(' '))).toEqual(['line 19997', 'line 19998', 'line 19999']);
  });

  test('partial tail marks total as inexact', async () => {
    const { store } = countingStore();
    const tail = await readServiceLog(store, taskKey, 0, 'stdout', { tailLines: 40 });
    expect(tail.totalLinesExact).toBe(false);
    expect(tail.totalLines).toBeLessThan(lineCount);
    expect(tail.sizeBytes).toBe(Buffer.byteLength(logText));
  });

  test('tail longer than first chunk grows', async () => {
    const { store } = countingStore();
    const tail = await readServiceLog(store, taskKey, 0, 'stdout', { tailLines: 5_000 });
    expect(tail.lines).toHaveLength(5_000);
    expect(tail.lines[0]?.text.startsWith('line 15000 ')).toBe(true);
  });

  test('small log total is exact', async () => {
    const { store } = countingStore();
    const tail = await readServiceLog(store, taskKey, 0, 'stderr', { tailLines: 40 });
    expect(tail.totalLines).toBe(2);
    expect(tail.totalLinesExact).toBeUndefined();
  });

  test('whole log counts every line', async () => {
    const { store } = countingStore();
    const whole = await readServiceLog(store, taskKey, 0, 'stdout');
    expect(whole.totalLines).toBe(lineCount);
  });
});
