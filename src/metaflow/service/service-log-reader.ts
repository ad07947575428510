import type { BlobStore } from '../blob-store.ts';
import { mergeMflogSources } from '../mflog.ts';
import type { LogOptions, LogStream, LogTail } from '../reader.ts';

/** Log sources in the order the client reads them (`metaflow.mflog.LOG_SOURCES`). */
const logSources = ['runtime', 'task'] as const;

/**
 * Reads a task's log of one attempt from the datastore: `<attempt>.runtime_<stream>.log` and
 * `<attempt>.task_<stream>.log` under `<Flow>/<run>/<step>/<task>`, merged by timestamp. A
 * missing file counts as empty: a local-runtime task writes its logs only when it ends, so a
 * running or killed task has none.
 *
 * NOTE: both files are read whole, even for a tail, because `totalLines` counts every line.
 * A log of hundreds of megabytes therefore costs that much transfer from S3.
 */
export async function readServiceLog(store: BlobStore, taskKey: readonly string[], attempt: number, stream: LogStream, options: LogOptions = {}): Promise<LogTail> {
  const files = await Promise.all(logSources.map((source) => store.read([...taskKey, `${attempt}.${source}_${stream}.log`])));
  const present = files.filter((file): file is Uint8Array => file !== null);
  const merged = mergeMflogSources(present, options.tailLines === undefined ? {} : { tailLines: options.tailLines });
  return {
    stream,
    attempt,
    lines: merged.lines,
    totalLines: merged.totalLines,
    sizeBytes: present.reduce((total, file) => total + file.length, 0),
    truncatedByMetaflow: merged.truncatedByMetaflow,
  };
}
