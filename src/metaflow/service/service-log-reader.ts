import type { BlobStore } from '../blob-store.ts';
import { MetaflowError } from '../errors.ts';
import { mergeMflogSources } from '../mflog.ts';
import type { LogOptions, LogStream, LogTail } from '../reader.ts';

/** Log sources in the order the client reads them (`metaflow.mflog.LOG_SOURCES`). */
const logSources = ['runtime', 'task'] as const;

/** Bytes read from the end of each log file for a tail; doubled until enough lines are read. */
export const firstTailChunkBytes = 64 * 1024;

/** Options of `readServiceLog`. */
export interface ServiceLogOptions extends LogOptions {
  /**
   * True when the attempt has ended (its `attempt_ok` is recorded), so that a log with neither
   * file is missing from the datastore rather than not written yet.
   */
  attemptEnded?: boolean;
}

/** The end of one log file: its bytes from `start`, cut to whole lines, and its size. */
interface LogPart {
  bytes: Uint8Array;
  /** True when `bytes` starts at the beginning of the file. */
  whole: boolean;
  totalSize: number;
}

/**
 * Reads a task's log of one attempt from the datastore: `<attempt>.runtime_<stream>.log` and
 * `<attempt>.task_<stream>.log` under `<Flow>/<run>/<step>/<task>`, merged by timestamp. A
 * missing file counts as empty: a local-runtime task writes its logs only when it ends, so a
 * running or killed task has none.
 *
 * With `tailLines`, only the end of each file is read by byte range: 64 KiB, doubled until
 * each file yields `tailLines` lines or is read from its start. `totalLines` is then exact only
 * when every file was read whole; otherwise `totalLinesExact` is false and `totalLines` counts
 * the lines read, a lower bound.
 *
 * @throws MetaflowError `corrupt_data` when `attemptEnded` is set and neither file exists.
 */
export async function readServiceLog(store: BlobStore, taskKey: readonly string[], attempt: number, stream: LogStream, options: ServiceLogOptions = {}): Promise<LogTail> {
  const keys = logSources.map((source) => [...taskKey, `${attempt}.${source}_${stream}.log`]);
  const tailLines = options.tailLines === undefined ? undefined : Math.max(0, Math.floor(options.tailLines));
  const parts = (await Promise.all(keys.map((key) => (tailLines === undefined ? readWhole(store, key) : readTail(store, key, tailLines))))).filter(
    (part): part is LogPart => part !== null,
  );
  if (parts.length === 0 && options.attemptEnded === true) {
    throw missingLog(store, taskKey, attempt, stream, keys);
  }
  const merged = mergeMflogSources(
    parts.map((part) => part.bytes),
    tailLines === undefined ? {} : { tailLines },
  );
  const exact = parts.every((part) => part.whole);
  return {
    stream,
    attempt,
    lines: merged.lines,
    totalLines: merged.totalLines,
    ...(exact ? {} : { totalLinesExact: false }),
    sizeBytes: parts.reduce((total, part) => total + part.totalSize, 0),
    truncatedByMetaflow: merged.truncatedByMetaflow,
  };
}

/**
 * Describes an ended attempt without a log file. Metaflow's runtime stores both streams when a
 * task ends, an empty file for a stream without output (as the recorded datastore shows).
 */
function missingLog(store: BlobStore, taskKey: readonly string[], attempt: number, stream: LogStream, keys: readonly string[][]): MetaflowError {
  const files = keys.map((key) => key.at(-1)).join(' nor ');
  const message = `The ${stream} log of task ${taskKey.join('/')}, attempt ${attempt}, is missing from the ${store.description}: the attempt has ended, but neither ${files} exists.`;
  return new MetaflowError('corrupt_data', message);
}

async function readWhole(store: BlobStore, key: readonly string[]): Promise<LogPart | null> {
  const bytes = await store.read(key);
  return bytes === null ? null : { bytes, whole: true, totalSize: bytes.length };
}

/** Reads the end of a file until it holds `lines` complete lines or the file is read whole. */
async function readTail(store: BlobStore, key: readonly string[], lines: number): Promise<LogPart | null> {
  const size = await store.size(key);
  if (size === null) {
    return null;
  }
  for (let chunk = firstTailChunkBytes; ; chunk *= 2) {
    const start = Math.max(0, size - chunk);
    const range = await store.readRange(key, start, size);
    if (range === null) {
      return null;
    }
    const part = start === 0 ? { bytes: range.bytes, whole: true, totalSize: range.totalSize } : dropPartialLine(range.bytes, range.totalSize);
    if (part.whole || countLines(part.bytes) >= lines) {
      return part;
    }
  }
}

/** A range that starts inside the file may start mid-line, so everything up to the first newline goes. */
function dropPartialLine(bytes: Uint8Array, totalSize: number): LogPart {
  const newline = bytes.indexOf(0x0a);
  return { bytes: newline < 0 ? new Uint8Array(0) : bytes.subarray(newline + 1), whole: false, totalSize };
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) {
    count += byte === 0x0a ? 1 : 0;
  }
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? count + 1 : count;
}
