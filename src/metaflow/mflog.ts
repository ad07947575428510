/**
 * Metaflow's structured log format (MFLOG). Every stored line looks like
 * `[MFLOG|0|2026-12-04T19:38:40.196264Z|runtime|<uuid>]<text>`, and a task's stream is
 * split over one file per log source (`<attempt>.runtime_stdout.log`,
 * `<attempt>.task_stdout.log`). The Python client (Metaflow 2.19.38, `mflog.merge_logs`)
 * sorts each file by its header fields and merges the files by timestamp. This module does
 * the same, and decodes only the lines it returns.
 */
import type { LogLine } from './reader.ts';

/** The line Metaflow appends once a stream passes `--max-log-size`. */
export const logTruncationMarker = '[TRUNCATED - MAXIMUM LOG FILE SIZE REACHED]';

/** The header fields of one MFLOG line, with the text left undecoded. */
export interface MflogHeader {
  /** The timestamp as written, without the `Z`. The client sorts by this string. */
  timestampText: string;
  /** Epoch milliseconds (the microseconds are dropped). */
  timestamp: number;
  /** True for a line that starts with `[!`, the "should persist" mark. */
  shouldPersist: boolean;
  source: string;
  lineId: string;
  /** Offset in the line where the text starts. */
  textStart: number;
}

/** The lines of one stream, merged from all its log files. */
export interface MergedLog {
  /** All lines, or the last `tailLines` of them, oldest first. */
  lines: LogLine[];
  /** Number of lines in the whole merged log. */
  totalLines: number;
  /** True when a file ends with Metaflow's truncation marker. */
  truncatedByMetaflow: boolean;
}

/** One line of a log file, by offsets into the file's bytes. */
interface LineRef {
  bytes: Buffer;
  start: number;
  /** End of the line, without its `\n`. */
  end: number;
  header: MflogHeader | null;
}

const prefix = Buffer.from('[MFLOG|0|');
const persistMark = Buffer.from('[!');

/**
 * The pattern of Python's `strptime(…, "%Y-%m-%dT%H:%M:%S.%f")`, which the client uses: one-
 * or two-digit fields are accepted, and the fraction has one to six digits.
 */
const timestampPattern =
  /^(\d{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])T(2[0-3]|[01]\d|\d):([0-5]\d|\d):([0-5]\d|\d)\.(\d{1,6})$/;

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Parses the MFLOG header of one line (given without its `\n`), or returns `null` when the
 * line has none or its timestamp is invalid. The fields end at the first `Z|`, `|` and `]`
 * that leave each field non-empty, which is how the client's regular expression matches.
 */
export function parseMflogHeader(line: Uint8Array): MflogHeader | null {
  const bytes = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const shouldPersist = bytes.subarray(0, 2).equals(persistMark);
  const headerStart = shouldPersist ? 2 : 0;
  if (!bytes.subarray(headerStart, headerStart + prefix.length).equals(prefix)) {
    return null;
  }

  const timestampStart = headerStart + prefix.length;
  const timestampEnd = bytes.indexOf('Z|', timestampStart + 1, 'latin1');
  if (timestampEnd < 0) {
    return null;
  }
  const sourceStart = timestampEnd + 2;
  const sourceEnd = bytes.indexOf('|', sourceStart + 1, 'latin1');
  if (sourceEnd < 0) {
    return null;
  }
  const idStart = sourceEnd + 1;
  const idEnd = bytes.indexOf(']', idStart + 1, 'latin1');
  if (idEnd < 0) {
    return null;
  }

  const timestampText = bytes.toString('latin1', timestampStart, timestampEnd);
  const timestamp = parseMflogTimestamp(timestampText);
  if (timestamp === null) {
    return null;
  }
  return {
    timestampText,
    timestamp,
    shouldPersist,
    source: bytes.toString('latin1', sourceStart, sourceEnd),
    lineId: bytes.toString('latin1', idStart, idEnd),
    textStart: idEnd + 1,
  };
}

/** Converts an MFLOG timestamp (UTC, without the `Z`) to epoch milliseconds, or `null` if invalid. */
export function parseMflogTimestamp(text: string): number | null {
  const match = timestampPattern.exec(text);
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((field) => Number(field.trim()));
  const fraction = (match[7] ?? '').padEnd(6, '0');
  const milliseconds = Number(fraction.slice(0, 3));
  const time = Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0, milliseconds);

  // Date.UTC rolls February 30 over into March; Python rejects it.
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== (month ?? 1) - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return time;
}

/**
 * Merges the log files of one stream as the client does: each file sorted by timestamp (then
 * source, line id and text), the files merged by timestamp, and lines without a valid header
 * after all the others. Only the returned lines are decoded, with invalid UTF-8 replaced by
 * U+FFFD where the client raises `UnicodeDecodeError`.
 *
 * NOTE: the client sorts header-less lines by their bytes, and raises `TypeError` when a file
 * mixes them with valid lines. Here they keep their file order.
 */
export function mergeMflogSources(sources: readonly Uint8Array[], options: { tailLines?: number } = {}): MergedLog {
  const parsed: LineRef[][] = [];
  const unparsed: LineRef[] = [];
  let truncatedByMetaflow = false;

  for (const source of sources) {
    const lines = splitLines(source);
    truncatedByMetaflow ||= endsWithTruncationMarker(lines);
    parsed.push(sortLines(lines.filter((line) => line.header !== null)));
    unparsed.push(...lines.filter((line) => line.header === null));
  }

  const merged = mergeSortedLists(parsed).concat(unparsed);
  const tailLength = options.tailLines === undefined ? merged.length : Math.max(0, Math.floor(options.tailLines));
  const selected = tailLength >= merged.length ? merged : merged.slice(merged.length - tailLength);

  return { lines: selected.map(decodeLine), totalLines: merged.length, truncatedByMetaflow };
}

function splitLines(bytes: Uint8Array): LineRef[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: LineRef[] = [];
  let start = 0;
  while (start < buffer.length) {
    const newline = buffer.indexOf(0x0a, start);
    const end = newline < 0 ? buffer.length : newline;
    lines.push({ bytes: buffer, start, end, header: parseMflogHeader(buffer.subarray(start, end)) });
    start = end + 1;
  }
  return lines;
}

function endsWithTruncationMarker(lines: readonly LineRef[]): boolean {
  const last = lines.at(-1);
  if (!last?.header) {
    return false;
  }
  return textBytes(last).toString('latin1') === logTruncationMarker;
}

/** Sorts lines by the client's key; most files are already in order, so that is checked first. */
function sortLines(lines: LineRef[]): LineRef[] {
  for (let index = 1; index < lines.length; index += 1) {
    if (compareLines(lines[index - 1] as LineRef, lines[index] as LineRef) > 0) {
      return lines.sort(compareLines);
    }
  }
  return lines;
}

/** Merges lists that are each sorted. On equal keys the earlier list comes first, as in `heapq.merge`. */
function mergeSortedLists(lists: readonly LineRef[][]): LineRef[] {
  const queues = lists.filter((list) => list.length > 0).map((lines) => ({ lines, next: 0 }));
  if (queues.length <= 1) {
    return queues[0]?.lines ?? [];
  }

  const merged: LineRef[] = [];
  for (;;) {
    let best: { lines: LineRef[]; next: number } | undefined;
    for (const queue of queues) {
      const candidate = queue.lines[queue.next];
      const current = best?.lines[best.next];
      if (candidate && (!current || compareLines(candidate, current) < 0)) {
        best = queue;
      }
    }
    if (!best) {
      return merged;
    }
    merged.push(best.lines[best.next] as LineRef);
    best.next += 1;
  }
}

/** Orders parsed lines like the client's tuples: timestamp text, persist mark, source, line id, text. */
function compareLines(left: LineRef, right: LineRef): number {
  const a = left.header as MflogHeader;
  const b = right.header as MflogHeader;
  if (a.timestampText !== b.timestampText) {
    return a.timestampText < b.timestampText ? -1 : 1;
  }
  if (a.shouldPersist !== b.shouldPersist) {
    return a.shouldPersist ? 1 : -1;
  }
  if (a.source !== b.source) {
    return a.source < b.source ? -1 : 1;
  }
  if (a.lineId !== b.lineId) {
    return a.lineId < b.lineId ? -1 : 1;
  }
  return Buffer.compare(textBytes(left), textBytes(right));
}

function textBytes(line: LineRef): Buffer {
  const textStart = line.start + (line.header?.textStart ?? 0);
  return line.bytes.subarray(textStart, line.end);
}

function decodeLine(line: LineRef): LogLine {
  return { timestamp: line.header?.timestamp ?? null, text: utf8.decode(textBytes(line)) };
}
