import { mergeMflogSources } from '../mflog.ts';
import type { LogOptions, LogStream, LogTail } from '../reader.ts';
import { type LocalContext, type TaskPath, taskSegments } from './local-context.ts';
import { readTaskRecord } from './task-reader.ts';

/** Log sources in the order the client reads them (`metaflow.mflog.LOG_SOURCES`). */
const logSources = ['runtime', 'task'] as const;

/**
 * Reads a task's log of the current attempt: `<attempt>.runtime_<stream>.log` and
 * `<attempt>.task_<stream>.log`, merged by timestamp. A missing file counts as empty, so a
 * running or killed task (whose local scheduler had not saved the logs) has an empty log.
 *
 * The files are found under the datastore this reader was given. The client looks where the
 * `ds-root` metadata points instead, and returns one empty line when a task lacks it.
 */
export async function readTaskLog(context: LocalContext, path: TaskPath, stream: LogStream, options: LogOptions = {}): Promise<LogTail> {
  const task = await readTaskRecord(context, path);
  const attempt = task.info.currentAttempt;

  const files = await Promise.all(logSources.map((source) => context.files.readBytes([...taskSegments(path), `${attempt}.${source}_${stream}.log`])));
  const present = files.filter((file): file is Buffer => file !== null);
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
