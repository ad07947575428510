/**
 * Reads one task the way the Python client (Metaflow 2.19.38) reads it:
 *
 * - the current attempt is the value of the newest `attempt` metadata event (0 when none);
 * - the task's artifacts are those of the newest `attempt-done` attempt, so while a retry
 *   runs, `finished` and `successful` still describe the attempt before it;
 * - `finished` is the `_task_ok` artifact, `successful` the `_success` artifact, and
 *   `finished_at` the time of the `_task_ok` record; a missing artifact means false or none.
 */
import { MetaflowError } from '../errors.ts';
import type { AttemptInfo, TaskInfo } from '../reader.ts';
import { readArtifactRecord, readBoolArtifact } from './artifact-records.ts';
import { type LocalContext, type TaskPath, taskPathspec, taskSegments } from './local-context.ts';
import { parseSelfRecord, type MetadataRecord } from './records.ts';
import { readMetadataFile, readNewestMetadata } from './task-metadata.ts';
import { parseTaskMetaListing, type TaskMetaListing } from './task-meta-listing.ts';
import { readForeachIndex } from './foreach-index.ts';

/** State of the current attempt: still going, ended with `_task_ok` true, or ended otherwise. */
export type AttemptState = 'running' | 'done' | 'failed';

/** A task as the reader needs it: the public `TaskInfo` plus where its artifacts are. */
export interface TaskRecord {
  info: TaskInfo;
  /** The newest attempt that ended; its artifacts are the task's. `null` before any attempt ended. */
  artifactAttempt: number | null;
  /** Names of the artifacts of `artifactAttempt`, private ones included. */
  artifactNames: ReadonlySet<string>;
  attemptState: AttemptState;
}

/** Outcome of one attempt as its artifacts record it. */
interface AttemptOutcome {
  finished: boolean;
  successful: boolean;
  finishedAt: number | null;
}

const notEnded: AttemptOutcome = { finished: false, successful: false, finishedAt: null };

/**
 * Reads a task's records. Finished tasks (`_task_ok` true) never change, so they are cached.
 *
 * @throws MetaflowError `not_found` when the task has no `_meta/_self.json` (the client does
 *   not list such a task either), and `corrupt_data` when a record cannot be read.
 */
export async function readTaskRecord(context: LocalContext, path: TaskPath): Promise<TaskRecord> {
  const pathspec = taskPathspec(path);
  const cached = context.finishedTasks.get(pathspec);
  if (cached) {
    return cached;
  }

  const listing = await readTaskListing(context, path);
  const self = parseSelfRecord(await context.files.readJson([...taskSegments(path), '_meta', '_self.json']), `${pathspec}/_meta/_self.json`);
  const current = await readCurrentAttempt(context, path, listing);
  const artifactAttempt = await readIntegerMetadata(context, path, listing, 'attempt-done');
  const outcome = artifactAttempt === null ? notEnded : await readAttemptOutcome(context, path, listing, artifactAttempt);
  const attemptState = await readAttemptState(context, path, listing, current.attempt, artifactAttempt === current.attempt ? outcome : null);

  const info: TaskInfo = {
    flow: path.flow,
    runId: path.runId,
    step: path.step,
    id: path.taskId,
    pathspec,
    createdAt: self.tsEpoch,
    ...outcome,
    currentAttempt: current.attempt,
    attempts: await readAttempts(context, path, listing, current, artifactAttempt, outcome),
    foreachIndex: await readForeachIndex(context, path, listing, artifactAttempt),
    lastActivityAt: readLastActivity(listing, self.tsEpoch),
  };
  const record: TaskRecord = { info, artifactAttempt, artifactNames: listing.artifactsByAttempt.get(artifactAttempt ?? -1) ?? new Set(), attemptState };

  if (attemptState === 'done') {
    context.finishedTasks.set(pathspec, record);
  }
  return record;
}

/** Builds the `not_found` error for a task. */
export function taskNotFound(path: TaskPath): MetaflowError {
  return new MetaflowError('not_found', `Task ${taskPathspec(path)} was not found.`);
}

async function readTaskListing(context: LocalContext, path: TaskPath): Promise<TaskMetaListing> {
  const names = await context.files.listFolder([...taskSegments(path), '_meta']);
  const listing = names === null ? null : parseTaskMetaListing(names);
  if (!listing?.hasSelf) {
    throw taskNotFound(path);
  }
  return listing;
}

async function readIntegerMetadata(context: LocalContext, path: TaskPath, listing: TaskMetaListing, field: string): Promise<number | null> {
  const record = await readNewestMetadata(context, path, listing, field);
  return record === null ? null : parseAttemptNumber(record, `${taskPathspec(path)} metadata ${field}`);
}

function parseAttemptNumber(record: MetadataRecord, where: string): number {
  const value = typeof record.value === 'string' ? Number(record.value) : Number.NaN;
  if (!Number.isInteger(value) || value < 0) {
    throw new MetaflowError('corrupt_data', `${where} contains ${JSON.stringify(record.value)}, which is not a valid attempt number.`);
  }
  return value;
}

async function readCurrentAttempt(context: LocalContext, path: TaskPath, listing: TaskMetaListing): Promise<{ attempt: number; startedAt: number | null }> {
  const record = await readNewestMetadata(context, path, listing, 'attempt');
  if (record === null) {
    return { attempt: 0, startedAt: null };
  }
  return { attempt: parseAttemptNumber(record, `${taskPathspec(path)} metadata attempt`), startedAt: record.tsEpoch };
}

async function readAttemptOutcome(context: LocalContext, path: TaskPath, listing: TaskMetaListing, attempt: number): Promise<AttemptOutcome> {
  const names = listing.artifactsByAttempt.get(attempt);
  const taskOk = names?.has('_task_ok') ? await readArtifactRecord(context, path, attempt, '_task_ok') : null;
  const success = names?.has('_success') ? await readArtifactRecord(context, path, attempt, '_success') : null;
  return {
    finished: taskOk ? await readBoolArtifact(context, path, taskOk) : false,
    successful: success ? await readBoolArtifact(context, path, success) : false,
    finishedAt: taskOk?.tsEpoch ?? null,
  };
}

/**
 * Decides the state of the current attempt. A `_task_ok` record of the attempt settles it.
 * Metaflow writes `attempt_ok`, then `attempt-done`, then the artifact records, so without the
 * record an `attempt_ok` of `False` means failed. A `<attempt>.runtime` file, which the
 * scheduler writes after the task process exits, means the attempt ended without a result.
 */
async function readAttemptState(
  context: LocalContext,
  path: TaskPath,
  listing: TaskMetaListing,
  attempt: number,
  outcome: AttemptOutcome | null,
): Promise<AttemptState> {
  if (outcome?.finished) {
    return 'done';
  }
  if (outcome !== null && outcome.finishedAt !== null) {
    return 'failed';
  }

  const attemptOk = await readNewestMetadata(context, path, listing, 'attempt_ok');
  if (attemptOk?.tags.includes(`attempt_id:${attempt}`) && attemptOk.value === 'False') {
    return 'failed';
  }
  const runtime = await context.files.readJson([...taskSegments(path), `${attempt}.runtime`]);
  return runtime === null ? 'running' : 'failed';
}

async function readAttempts(
  context: LocalContext,
  path: TaskPath,
  listing: TaskMetaListing,
  current: { attempt: number; startedAt: number | null },
  artifactAttempt: number | null,
  outcome: AttemptOutcome,
): Promise<AttemptInfo[]> {
  const startedAt = current.attempt > 0 ? await readAttemptStartTimes(context, path, listing) : new Map<number, number>();
  const attempts: AttemptInfo[] = [];
  for (let attempt = 0; attempt < current.attempt; attempt += 1) {
    const past = attempt === artifactAttempt ? outcome : await readAttemptOutcome(context, path, listing, attempt);
    attempts.push({ attempt, startedAt: startedAt.get(attempt) ?? null, ...past });
  }
  const last = current.attempt === artifactAttempt ? outcome : notEnded;
  attempts.push({ attempt: current.attempt, startedAt: current.startedAt, ...last });
  return attempts;
}

async function readAttemptStartTimes(context: LocalContext, path: TaskPath, listing: TaskMetaListing): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  for (const file of listing.metadataFiles.get('attempt') ?? []) {
    const record = await readMetadataFile(context, path, file);
    times.set(parseAttemptNumber(record, `${taskPathspec(path)}/_meta/${file}`), record.tsEpoch);
  }
  return times;
}

/**
 * The task's last sign of life from what Metaflow recorded: its creation and its newest
 * metadata file. File and folder times are not used: a copied, cloned or unpacked datastore
 * gets new ones, which would make a long-dead run look active.
 */
function readLastActivity(listing: TaskMetaListing, createdAt: number): number {
  return Math.max(createdAt, listing.newestMetadataMs ?? 0);
}
