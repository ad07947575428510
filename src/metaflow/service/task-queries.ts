/**
 * Task-level reads. A task is read the way the client (Metaflow 2.19.38) reads it: attempts
 * from the task metadata, and `finished`, `successful` and `finished_at` from the `_task_ok`
 * and `_success` artifacts of the newest attempt that stored artifacts.
 */
import { MetaflowError } from '../errors.ts';
import type { TaskInfo } from '../reader.ts';
import type { ServiceContext } from './service-context.ts';
import { taskPath } from './service-paths.ts';
import { parseArtifactRow, parseMetadataRow, parseRows, parseTaskRow, type ArtifactRow, type TaskRow } from './service-records.ts';
import type { RunMetadata } from './run-metadata.ts';
import { readTaskAttempts, type TaskAttempts } from './task-attempts.ts';

/** A task's identity in a run. */
export interface TaskAddress {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
}

/** Fetches a task row; `not_found` when the service has no such task. */
export async function fetchTaskRow(context: ServiceContext, address: TaskAddress): Promise<TaskRow> {
  const json = await context.client.getObject(pathOf(address));
  if (json === null) {
    throw new MetaflowError('not_found', `Task ${pathspecOf(address)} was not found.`);
  }
  return parseTaskRow(json, `task ${pathspecOf(address)}`);
}

/** Fetches and reads a task's metadata rows. */
export async function fetchTaskAttempts(context: ServiceContext, address: TaskAddress): Promise<TaskAttempts> {
  const rows = await context.client.getList(`${pathOf(address)}/metadata`);
  return readTaskAttempts(parseRows(rows, `metadata of task ${pathspecOf(address)}`, parseMetadataRow));
}

/**
 * Fetches the artifact rows of the task's newest attempt that stored any (the unpaginated
 * list). A finished task stores no more, so its rows are cached.
 */
export async function fetchArtifactRows(context: ServiceContext, address: TaskAddress): Promise<ArtifactRow[]> {
  const pathspec = pathspecOf(address);
  const cached = context.artifactRows.get(pathspec);
  if (cached) {
    return cached;
  }
  const rows = parseRows(await context.client.getList(`${pathOf(address)}/artifacts`), `artifact list of task ${pathspec}`, parseArtifactRow);
  const newest = Math.max(-1, ...rows.map((row) => row.attempt));
  const latest = rows.filter((row) => row.attempt === newest);
  if (context.finishedTasks.get(pathspec)?.finished === true) {
    context.artifactRows.set(pathspec, latest);
  }
  return latest;
}

/**
 * Reads a task's `TaskInfo` from its row: metadata and artifact list, two requests. Tasks whose
 * newest attempt succeeded never change, so they are cached.
 */
export async function readTaskInfo(context: ServiceContext, address: TaskAddress, row: TaskRow): Promise<TaskInfo> {
  const pathspec = pathspecOf(address);
  const cached = context.finishedTasks.get(pathspec);
  if (cached) {
    return cached;
  }

  const [attempts, artifacts] = await Promise.all([fetchTaskAttempts(context, address), fetchArtifactRows(context, address)]);
  const taskOk = artifacts.find((artifact) => artifact.name === '_task_ok');
  const success = artifacts.find((artifact) => artifact.name === '_success');
  const where = `task ${pathspec}`;
  const info: TaskInfo = {
    flow: address.flow,
    runId: address.runId,
    step: address.step,
    id: address.taskId,
    pathspec,
    createdAt: row.createdAt,
    finished: taskOk === undefined ? false : await context.blobs.decodeBool(address.flow, taskOk.sha, `Artifact _task_ok of ${where}`),
    successful: success === undefined ? false : await context.blobs.decodeBool(address.flow, success.sha, `Artifact _success of ${where}`),
    finishedAt: taskOk?.createdAt ?? null,
    currentAttempt: attempts.currentAttempt,
    attempts: attempts.attempts,
    foreachIndex: attempts.foreachIndex,
    lastActivityAt: lastActivity(row, attempts),
  };
  // `_task_ok` is final: a finished attempt is never retried. Its metadata may lack the
  // `attempt_ok` row (Metaflow versions that write none), so the artifact decides.
  if (info.finished) {
    context.finishedTasks.set(pathspec, info);
  }
  return info;
}

/**
 * Reads the `TaskInfo` of several tasks of a run. Tasks whose newest attempt succeeded come
 * from the cache, or from the run's metadata (`metadata`, fetched once and only when two or
 * more tasks are not cached): their `attempt_ok` row carries the same verdict as `_task_ok` and
 * `_success`, and the time is that row's, within milliseconds of the `_task_ok` record. The
 * other tasks (running, failed, or written by a Metaflow that records no `attempt_ok`) are
 * read one by one, as `readTaskInfo` does.
 */
export async function readTaskInfos(
  context: ServiceContext,
  run: { flow: string; runId: string },
  rows: readonly TaskRow[],
  metadata: () => Promise<RunMetadata>,
): Promise<TaskInfo[]> {
  const pathspecs = rows.map((row) => pathspecOf({ ...run, step: row.step, taskId: row.id }));
  const uncached = pathspecs.filter((pathspec) => context.finishedTasks.get(pathspec) === undefined).length;
  const runMetadata = uncached >= 2 ? await metadata() : null;
  return Promise.all(
    rows.map(async (row, index) => {
      const address: TaskAddress = { ...run, step: row.step, taskId: row.id };
      const cached = context.finishedTasks.get(pathspecs[index] ?? '');
      if (cached) {
        return cached;
      }
      const metadataRows = runMetadata?.tasks.get(row.step)?.get(row.id);
      const attempts = metadataRows === undefined ? null : readTaskAttempts(metadataRows);
      if (attempts?.state === 'done') {
        const info = toStatusTaskInfo(address, row, attempts);
        context.finishedTasks.set(info.pathspec, info);
        return info;
      }
      return readTaskInfo(context, address, row);
    }),
  );
}

/** A task's `TaskInfo` from its row and metadata only, without the artifact list (for status). */
export function toStatusTaskInfo(address: TaskAddress, row: TaskRow, attempts: TaskAttempts): TaskInfo {
  const current = attempts.attempts.at(-1);
  return {
    flow: address.flow,
    runId: address.runId,
    step: address.step,
    id: address.taskId,
    pathspec: pathspecOf(address),
    createdAt: row.createdAt,
    finished: current?.finished ?? false,
    successful: current?.successful ?? false,
    finishedAt: current?.finishedAt ?? null,
    currentAttempt: attempts.currentAttempt,
    attempts: attempts.attempts,
    foreachIndex: attempts.foreachIndex,
    lastActivityAt: lastActivity(row, attempts),
  };
}

/** Last sign of life: the task's creation, its heartbeat or its newest metadata row. */
function lastActivity(row: TaskRow, attempts: TaskAttempts): number {
  return Math.max(row.createdAt, row.heartbeatAt ?? 0, attempts.newestRowAt ?? 0);
}

/** The service route of a task. */
export function pathOf(address: TaskAddress): string {
  return taskPath(address.flow, address.runId, address.step, address.taskId);
}

/** `Flow/run/step/task`. */
export function pathspecOf(address: TaskAddress): string {
  return `${address.flow}/${address.runId}/${address.step}/${address.taskId}`;
}
