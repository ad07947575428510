import type { StatusOptions, TaskInfo } from '../metaflow/reader.ts';
import { isoTime, isoTimeOrNull, toSeconds, type ExportStatus } from './export-status.ts';

/** One task in an export; the field names are the CSV column names too. */
export interface TaskRow {
  step: string;
  taskId: string;
  pathspec: string;
  foreachIndex: number | null;
  attempt: number;
  status: ExportStatus;
  createdAt: string;
  finishedAt: string | null;
  durationSeconds: number;
  finished: boolean;
  successful: boolean;
}

/**
 * Builds a task's export row. `failedByRun` is true when the run's status lists the task as
 * failed, which also covers an attempt whose process died before it stored an outcome.
 */
export function toTaskRow(task: TaskInfo, failedByRun: boolean, options: StatusOptions): TaskRow {
  const status = judgeTaskStatus(task, failedByRun, options);
  return {
    step: task.step,
    taskId: task.id,
    pathspec: task.pathspec,
    foreachIndex: task.foreachIndex,
    attempt: task.currentAttempt,
    status,
    createdAt: isoTime(task.createdAt),
    finishedAt: isoTimeOrNull(task.finishedAt),
    durationSeconds: toSeconds(taskEnd(task, status, options) - task.createdAt),
    finished: task.finished,
    successful: task.successful,
  };
}

/**
 * Judges the task by its current attempt. The client's `finished` and `successful` describe
 * the newest attempt that ended, so while a retry runs they still show the failed attempt.
 */
function judgeTaskStatus(task: TaskInfo, failedByRun: boolean, options: StatusOptions): ExportStatus {
  const current = currentOutcome(task);
  if (current.finished) {
    return current.successful ? 'succeeded' : 'failed';
  }
  if (failedByRun || current.finishedAt !== null) {
    return 'failed';
  }
  return options.now - task.lastActivityAt > options.staleAfterMs ? 'no activity' : 'running';
}

/**
 * Returns the current attempt's outcome. When `_task_ok` says the task finished but the
 * attempt has no verdict in its metadata (a Metaflow that writes no `attempt_ok`, or records
 * the service lacks), the task's own outcome is used, because
 * no attempt follows a finished one.
 */
function currentOutcome(task: TaskInfo): Pick<TaskInfo, 'finished' | 'successful' | 'finishedAt'> {
  const current = task.attempts.at(-1);
  if (current === undefined || (task.finished && !current.finished && current.finishedAt === null)) {
    return task;
  }
  return current;
}

/** Returns the end of the task's duration in epoch milliseconds, matching its status. */
function taskEnd(task: TaskInfo, status: ExportStatus, options: StatusOptions): number {
  const current = currentOutcome(task);
  switch (status) {
    case 'succeeded':
    case 'failed':
      return current.finishedAt ?? task.finishedAt ?? task.lastActivityAt;
    case 'running':
      return options.now;
    case 'no activity':
      return task.lastActivityAt;
    default:
      return status satisfies never;
  }
}
