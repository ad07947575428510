import { isMetaflowError, MetaflowError } from '../errors.ts';
import { isValidMetaflowName } from '../names.ts';
import type { StepInfo } from '../reader.ts';
import type { LocalContext } from './local-context.ts';
import { defaultReadConcurrency, mapConcurrently } from './map-concurrently.ts';
import { parseSelfRecord } from './records.ts';
import { readTaskRecord, type TaskRecord } from './task-reader.ts';

/** A step folder with its `_meta/_self.json`. */
export interface StepEntry {
  name: string;
  createdAt: number;
}

/**
 * Lists the steps of a run that have a `_meta/_self.json`, newest first. `_parameters` and
 * other names starting with `_` are left out unless `includeHidden` is set, as the client
 * hides them.
 *
 * @throws MetaflowError `not_found` when the run folder does not exist.
 */
export async function listStepEntries(context: LocalContext, flow: string, runId: string, includeHidden = false): Promise<StepEntry[]> {
  const names = await context.files.listFolder([flow, runId]);
  if (names === null) {
    throw new MetaflowError('not_found', `Run ${flow}/${runId} was not found.`);
  }

  const candidates = names.filter((name) => name !== '_meta' && (includeHidden || !name.startsWith('_')) && isValidMetaflowName('step', name));
  const entries = await mapConcurrently(candidates, defaultReadConcurrency, (name) => readStepEntry(context, flow, runId, name));
  return entries.filter((entry): entry is StepEntry => entry !== null).sort((left, right) => right.createdAt - left.createdAt || compareIds(right.name, left.name));
}

/** Reads one step's `_meta/_self.json`; `null` when it has none. */
export async function readStepEntry(context: LocalContext, flow: string, runId: string, step: string): Promise<StepEntry | null> {
  const where = `${flow}/${runId}/${step}/_meta/_self.json`;
  const json = await skipOutsideLinks(context, where, () => context.files.readJson([flow, runId, step, '_meta', '_self.json']));
  return json === null ? null : { name: step, createdAt: parseSelfRecord(json, where).tsEpoch };
}

/**
 * Reads the tasks of a step, newest first; folders without `_meta/_self.json` are left out,
 * as the client leaves them out.
 *
 * @throws MetaflowError `not_found` when the step folder does not exist.
 */
export async function listTaskRecords(context: LocalContext, flow: string, runId: string, step: string): Promise<TaskRecord[]> {
  const names = await context.files.listFolder([flow, runId, step]);
  if (names === null) {
    throw new MetaflowError('not_found', `Step ${flow}/${runId}/${step} was not found.`);
  }

  const ids = names.filter((name) => name !== '_meta' && isValidMetaflowName('task', name));
  const records = await mapConcurrently(ids, defaultReadConcurrency, (taskId) =>
    skipOutsideLinks(context, `${flow}/${runId}/${step}/${taskId}`, () => readTaskRecord(context, { flow, runId, step, taskId })).catch((error: unknown) => {
      if (isMetaflowError(error) && error.code === 'not_found') {
        return null;
      }
      throw error;
    }),
  );
  return records.filter((record): record is TaskRecord => record !== null).sort(compareTasksNewestFirst);
}

/**
 * Counts a step's task folders without reading them. For a step of a run that ended
 * successfully, every folder is a task that registered itself.
 *
 * @throws MetaflowError `not_found` when the step folder does not exist.
 */
export async function countTaskFolders(context: LocalContext, flow: string, runId: string, step: string): Promise<number> {
  const names = await context.files.listFolder([flow, runId, step]);
  if (names === null) {
    throw new MetaflowError('not_found', `Step ${flow}/${runId}/${step} was not found.`);
  }
  return names.filter((name) => name !== '_meta' && isValidMetaflowName('task', name)).length;
}

/** Builds a `StepInfo`: `finishedAt` is the latest task end, or `null` when a task has none. */
export function toStepInfo(entry: StepEntry, tasks: readonly TaskRecord[]): StepInfo {
  const ends = tasks.map((task) => task.info.finishedAt);
  const finishedAt = ends.length === 0 || ends.includes(null) ? null : (ends as number[]).reduce((latest, end) => Math.max(latest, end));
  return { name: entry.name, createdAt: entry.createdAt, finishedAt };
}

/** Orders tasks newest first; equal creation times fall back to the id, so the order is stable. */
export function compareTasksNewestFirst(left: TaskRecord, right: TaskRecord): number {
  return right.info.createdAt - left.info.createdAt || compareIds(right.info.id, left.info.id);
}

/** Compares ids numerically when both are integers, else as strings. */
export function compareIds(left: string, right: string): number {
  const leftNumber = Number(left);
  const rightNumber = Number(right);
  if (/^\d+$/.test(left) && /^\d+$/.test(right) && leftNumber !== rightNumber) {
    return leftNumber - rightNumber;
  }
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

/**
 * Runs a read for one entry of a listing. An entry whose symbolic link leads outside the
 * datastore is left out of the listing (and logged) instead of failing the whole listing.
 */
export async function skipOutsideLinks<T>(context: LocalContext, where: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isMetaflowError(error) && error.code === 'invalid_name') {
      context.logger.warn('skipped a datastore entry that leads outside the datastore', { path: where, error });
      return null;
    }
    throw error;
  }
}
