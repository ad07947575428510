import { describe, expect, it } from 'vitest';
import { logTruncationMarker, mergeMflogSources, parseMflogHeader, parseMflogTimestamp } from '../../src/metaflow/mflog.ts';

function line(time: string, text: string, source = 'runtime', id = 'id-1'): string {
  return `[MFLOG|0|${time}Z|${source}|${id}]${text}\n`;
}

function bytes(...parts: (string | Uint8Array)[]): Uint8Array {
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));
}

function texts(sources: Uint8Array[], tailLines?: number): string[] {
  return mergeMflogSources(sources, tailLines === undefined ? {} : { tailLines }).lines.map((entry) => entry.text);
}

describe('parseMflogHeader', () => {
  it('reads header fields', () => {
    const header = parseMflogHeader(Buffer.from('[MFLOG|0|2026-12-04T19:38:40.196264Z|runtime|0a40-82]hello'));
    expect(header?.timestampText).toBe('2026-12-04T19:38:40.196264');
    expect(header?.timestamp).toBe(Date.UTC(2026, 11, 4, 19, 38, 40, 196));
    expect(header?.source).toBe('runtime');
    expect(header?.lineId).toBe('0a40-82');
    expect(header?.textStart).toBe('[MFLOG|0|2026-12-04T19:38:40.196264Z|runtime|0a40-82]'.length);
    expect(header?.shouldPersist).toBe(false);
  });

  it('reads persist mark', () => {
    expect(parseMflogHeader(Buffer.from('[![MFLOG|0|2026-12-04T19:38:40.1Z|task|x]hi'))?.shouldPersist).toBe(true);
  });

  it('ends fields at first delimiters', () => {
    const header = parseMflogHeader(Buffer.from('[MFLOG|0|2026-12-04T19:38:40.1Z|task|x]]a|b'));
    expect(header?.lineId).toBe('x');
    expect(header?.textStart).toBe('[MFLOG|0|2026-12-04T19:38:40.1Z|task|x]'.length);
  });

  it('rejects other versions and plain text', () => {
    expect(parseMflogHeader(Buffer.from('[MFLOG|1|2026-12-04T19:38:40.1Z|task|x]hi'))).toBeNull();
    expect(parseMflogHeader(Buffer.from('plain text'))).toBeNull();
    expect(parseMflogHeader(Buffer.from('[MFLOG|0|2026-12-04T19:38:40.1Z|task|]'))).toBeNull();
  });
});

describe('parseMflogTimestamp', () => {
  it('accepts one-digit fields as strptime does', () => {
    expect(parseMflogTimestamp('2026-1-4T1:2:3.5')).toBe(Date.UTC(2026, 0, 4, 1, 2, 3, 500));
  });

  it('rejects impossible dates', () => {
    expect(parseMflogTimestamp('2026-02-30T00:00:00.000000')).toBeNull();
  });

  it('rejects missing fraction', () => {
    expect(parseMflogTimestamp('2026-02-03T00:00:00')).toBeNull();
  });

  it('rejects seven fraction digits', () => {
    expect(parseMflogTimestamp('2026-02-03T00:00:00.1234567')).toBeNull();
  });
});

describe('mergeMflogSources', () => {
  it('merges sources by timestamp', () => {
    const runtime = bytes(line('2026-12-04T10:00:00.000001', 'a'), line('2026-12-04T10:00:00.000003', 'c'));
    const task = bytes(line('2026-12-04T10:00:00.000002', 'b', 'task'));
    expect(texts([runtime, task])).toEqual(['a', 'b', 'c']);
  });

  it('sorts a file that is out of order', () => {
    const file = bytes(line('2026-12-04T10:00:02.000000', 'second'), line('2026-12-04T10:00:01.000000', 'first'));
    expect(texts([file])).toEqual(['first', 'second']);
  });

  it('orders equal timestamps by source then id', () => {
    const time = '2026-12-04T10:00:00.000000';
    const file = bytes(line(time, 'task b', 'task', 'b'), line(time, 'runtime z', 'runtime', 'z'), line(time, 'task a', 'task', 'a'));
    expect(texts([file])).toEqual(['runtime z', 'task a', 'task b']);
  });

  it('puts lines without header last in file order', () => {
    const file = bytes('zz no header\n', line('2026-12-04T10:00:00.000000', 'parsed'), 'aa no header\n');
    const merged = mergeMflogSources([file]);
    expect(merged.lines.map((entry) => entry.text)).toEqual(['parsed', 'zz no header', 'aa no header']);
    expect(merged.lines[1]?.timestamp).toBeNull();
  });

  it('keeps last line without newline', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', 'one'), '[MFLOG|0|2026-12-04T10:00:01.000000Z|runtime|x]last');
    expect(texts([file])).toEqual(['one', 'last']);
  });

  it('counts empty lines but not a final newline', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', ''), line('2026-12-04T10:00:01.000000', 'x'));
    expect(mergeMflogSources([file]).totalLines).toBe(2);
    expect(mergeMflogSources([new Uint8Array()]).totalLines).toBe(0);
  });

  it('replaces invalid UTF-8', () => {
    const file = bytes('[MFLOG|0|2026-12-04T10:00:00.000000Z|runtime|x]', new Uint8Array([0xff, 0xfe, 0xc3, 0x28]), '\n');
    expect(texts([file])).toEqual(['\uFFFD\uFFFD\uFFFD(']);
  });

  it('keeps carriage return and byte order mark', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', '\uFEFFbefore\rafter'));
    expect(texts([file])).toEqual(['\uFEFFbefore\rafter']);
  });

  it('detects truncation marker at end', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', 'x'), line('2026-12-04T10:00:00.000001', logTruncationMarker));
    const merged = mergeMflogSources([file]);
    expect(merged.truncatedByMetaflow).toBe(true);
    expect(merged.lines.at(-1)?.text).toBe(logTruncationMarker);
  });

  it('ignores marker text before the end', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', logTruncationMarker), line('2026-12-04T10:00:00.000001', 'x'));
    expect(mergeMflogSources([file]).truncatedByMetaflow).toBe(false);
  });

  it('returns tail with whole count', () => {
    const file = bytes(...Array.from({ length: 10 }, (_, index) => line(`2026-12-04T10:00:0${index}.000000`, `line ${index}`)));
    const merged = mergeMflogSources([file], { tailLines: 3 });
    expect(merged.lines.map((entry) => entry.text)).toEqual(['line 7', 'line 8', 'line 9']);
    expect(merged.totalLines).toBe(10);
  });

  it('returns no lines for zero tail', () => {
    const file = bytes(line('2026-12-04T10:00:00.000000', 'x'));
    expect(texts([file], 0)).toEqual([]);
  });
});
