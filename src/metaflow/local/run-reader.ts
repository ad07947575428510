/**
 * Runs as the client (Metaflow 2.19.38) reads them: `created_at` and tags come from the run's
 * `_meta/_self.json`, and `finished`, `successful` and `finished_at` are those of the end
 * task, whose step name is the `end_step` metadata of `_parameters/0` (default `end`).
 */
import { MetaflowError } from '../errors.ts';
import { isValidMetaflowName } from '../names.ts';
import type { RunFilter, RunInfo } from '../reader.ts';
import type { LocalContext } from './local-context.ts';
import { parseSelfRecord } from './records.ts';
import { iterateRunEntries, type RunEntry } from './run-order.ts';
import { compareTasksNewestFirst, listTaskRecords } from './step-reader.ts';
import { readNewestMetadata } from './task-metadata.ts';
import { parseTaskMetaListing } from './task-meta-listing.ts';
import type { TaskRecord } from './task-reader.ts';

/** Finished state of a run, taken from its end task. */
export interface RunEnd {
  endStep: string;
  finished: boolean;
  successful: boolean;
  finishedAt: number | null;
}

/** Builds the `not_found` error for a run. */
export function runNotFound(flow: string, runId: string): MetaflowError {
  return new MetaflowError('not_found', `Run ${flow}/${runId} was not found.`);
}

export type { RunEntry };

/** Reads a run's `_meta/_self.json`; `not_found` when it has none. */
export async function readRunEntry(context: LocalContext, flow: string, runId: string): Promise<RunEntry> {
  const where = `${flow}/${runId}/_meta/_self.json`;
  const json = await context.files.readJson([flow, runId, '_meta', '_self.json']);
  if (json === null) {
    throw runNotFound(flow, runId);
  }
  return { id: runId, self: parseSelfRecord(json, where) };
}

/**
 * Yields a flow's runs that match `filter`, newest first; runs with equal creation times are
 * ordered by id, where the client keeps the file system's order. Only as many run records are
 * read as the order needs (see `iterateRunEntries`).
 *
 * @throws MetaflowError `not_found` when the flow has no folder or no `_meta/_self.json`.
 */
export async function* iterateFlowRuns(context: LocalContext, flow: string, filter: Omit<RunFilter, 'limit'> = {}): AsyncGenerator<RunEntry> {
  const names = await context.files.listFolder([flow]);
  const flowSelf = names === null ? null : await context.files.readJson([flow, '_meta', '_self.json']);
  if (names === null || flowSelf === null) {
    throw new MetaflowError('not_found', `Flow ${flow} was not found.`);
  }
  // Besides the run folders, a flow folder holds `_meta`, the blobs in `data`, and the
  // `latest_run` file that the local runtime writes.
  const runIds = names.filter((name) => name !== '_meta' && name !== 'data' && name !== 'latest_run');
  yield* iterateRunEntries(context, flow, runIds, filter);
}

/** Reads a run's finished state from its end task. Finished runs never change, so it is cached for them. */
export async function readRunEnd(context: LocalContext, flow: string, runId: string): Promise<RunEnd> {
  const key = `${flow}/${runId}`;
  const cached = context.finishedRuns.get(key);
  if (cached) {
    return cached;
  }

  const endStep = await readEndStepName(context, flow, runId);
  const endTask = await readEndTask(context, flow, runId, endStep);
  const end: RunEnd = {
    endStep,
    finished: endTask?.info.finished ?? false,
    successful: endTask?.info.successful ?? false,
    finishedAt: endTask?.info.finishedAt ?? null,
  };
  if (end.finished) {
    context.finishedRuns.set(key, end);
  }
  return end;
}

/** Returns the `end_step` metadata of `_parameters/0`, or `end` when it is missing. */
export async function readEndStepName(context: LocalContext, flow: string, runId: string): Promise<string> {
  const path = { flow, runId, step: '_parameters', taskId: '0' };
  const names = await context.files.listFolder([flow, runId, '_parameters', '0', '_meta']);
  const record = names === null ? null : await readNewestMetadata(context, path, parseTaskMetaListing(names), 'end_step');
  if (record === null) {
    return 'end';
  }
  if (typeof record.value !== 'string' || !isValidMetaflowName('step', record.value)) {
    throw new MetaflowError('corrupt_data', `The end_step metadata of ${flow}/${runId}/_parameters/0 contains ${JSON.stringify(record.value)}, which is not a valid step name.`);
  }
  return record.value;
}

/** Returns the newest task of the end step (the client's `Step.task`), or `null` before the step started. */
async function readEndTask(context: LocalContext, flow: string, runId: string, endStep: string): Promise<TaskRecord | null> {
  const exists = await context.files.status([flow, runId, endStep, '_meta', '_self.json']);
  if (exists === null) {
    return null;
  }
  const tasks = await listTaskRecords(context, flow, runId, endStep);
  return tasks.sort(compareTasksNewestFirst)[0] ?? null;
}

/** Builds the public `RunInfo`; tags are sorted by code point, as Python sorts strings. */
export function toRunInfo(flow: string, entry: RunEntry, end: RunEnd): RunInfo {
  const userTag = entry.self.systemTags.find((tag) => tag.startsWith('user:'));
  return {
    flow,
    id: entry.id,
    pathspec: `${flow}/${entry.id}`,
    user: userTag === undefined ? null : userTag.slice('user:'.length),
    userTags: [...entry.self.tags].sort(compareCodePoints),
    systemTags: [...entry.self.systemTags].sort(compareCodePoints),
    createdAt: entry.self.tsEpoch,
    finished: end.finished,
    successful: end.successful,
    finishedAt: end.finishedAt,
    endStep: end.endStep,
  };
}

/** Compares strings by Unicode code point (JavaScript's `<` compares UTF-16 code units). */
export function compareCodePoints(left: string, right: string): number {
  const a = Array.from(left, (character) => character.codePointAt(0) ?? 0);
  const b = Array.from(right, (character) => character.codePointAt(0) ?? 0);
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) {
      return difference;
    }
  }
  return a.length - b.length;
}
