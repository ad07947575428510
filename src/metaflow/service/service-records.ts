/**
 * The rows the Metaflow metadata service (2.5.1) returns, checked and converted. `ts_epoch` is
 * epoch milliseconds and `last_heartbeat_ts` epoch seconds; ids come as numbers and become
 * strings, as in Metaflow pathspecs.
 */
import { MetaflowError } from '../errors.ts';

/** A run row of `/flows/{flow}/runs`. */
export interface RunRow {
  flow: string;
  id: string;
  tags: string[];
  systemTags: string[];
  createdAt: number;
  /** Epoch ms of the last heartbeat; `null` for clients older than Metaflow 2.2.12. */
  heartbeatAt: number | null;
}

/** A step row of `/runs/{run}/steps`. */
export interface StepRow {
  name: string;
  createdAt: number;
}

/** A task row of `/steps/{step}/tasks`. */
export interface TaskRow {
  step: string;
  id: string;
  createdAt: number;
  heartbeatAt: number | null;
}

/** A task metadata row; `value` is always a string. */
export interface MetadataRow {
  field: string;
  value: string;
  createdAt: number;
  /** From the `attempt_id:N` tag; `null` when the row has none. */
  attempt: number | null;
}

/** An artifact row: where the pickled value is, not the value. */
export interface ArtifactRow {
  name: string;
  sha: string;
  attempt: number;
  createdAt: number;
  /** `ds_type`, e.g. `local` or `s3`. */
  datastoreType: string;
}

/** Converts a run row. */
export function parseRunRow(json: unknown, where: string): RunRow {
  const row = expectObject(json, where);
  return {
    flow: expectString(row['flow_id'], where, 'flow_id'),
    id: expectId(row['run_number'], where, 'run_number'),
    tags: expectStrings(row['tags'], where, 'tags'),
    systemTags: expectStrings(row['system_tags'], where, 'system_tags'),
    createdAt: expectNumber(row['ts_epoch'], where, 'ts_epoch'),
    heartbeatAt: readHeartbeat(row['last_heartbeat_ts'], where),
  };
}

/** Converts a step row. */
export function parseStepRow(json: unknown, where: string): StepRow {
  const row = expectObject(json, where);
  return { name: expectString(row['step_name'], where, 'step_name'), createdAt: expectNumber(row['ts_epoch'], where, 'ts_epoch') };
}

/** Converts a task row. */
export function parseTaskRow(json: unknown, where: string): TaskRow {
  const row = expectObject(json, where);
  return {
    step: expectString(row['step_name'], where, 'step_name'),
    id: expectId(row['task_id'], where, 'task_id'),
    createdAt: expectNumber(row['ts_epoch'], where, 'ts_epoch'),
    heartbeatAt: readHeartbeat(row['last_heartbeat_ts'], where),
  };
}

/** Converts a metadata row. */
export function parseMetadataRow(json: unknown, where: string): MetadataRow {
  const row = expectObject(json, where);
  const attemptTag = expectStrings(row['tags'], where, 'tags').find((tag) => /^attempt_id:\d+$/.test(tag));
  return {
    field: expectString(row['field_name'], where, 'field_name'),
    value: expectString(row['value'], where, 'value'),
    createdAt: expectNumber(row['ts_epoch'], where, 'ts_epoch'),
    attempt: attemptTag === undefined ? null : Number(attemptTag.slice('attempt_id:'.length)),
  };
}

/** Converts an artifact row. */
export function parseArtifactRow(json: unknown, where: string): ArtifactRow {
  const row = expectObject(json, where);
  const sha = expectString(row['sha'], where, 'sha');
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw invalidRow(where, `"sha" ${JSON.stringify(sha.slice(0, 60))} is not a SHA-1 hex digest`);
  }
  return {
    name: expectString(row['name'], where, 'name'),
    sha,
    attempt: expectNumber(row['attempt_id'], where, 'attempt_id'),
    createdAt: expectNumber(row['ts_epoch'], where, 'ts_epoch'),
    datastoreType: expectString(row['ds_type'], where, 'ds_type'),
  };
}

/** Converts every row of a list, naming the list in messages. */
export function parseRows<T>(rows: readonly unknown[], where: string, parse: (json: unknown, where: string) => T): T[] {
  return rows.map((row, index) => parse(row, `${where} row ${index}`));
}

function readHeartbeat(value: unknown, where: string): number | null {
  return value === null || value === undefined ? null : expectNumber(value, where, 'last_heartbeat_ts') * 1000;
}

function expectObject(json: unknown, where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidRow(where, 'it is not a JSON object');
  }
  return json as Record<string, unknown>;
}

function expectString(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string') {
    throw invalidRow(where, `"${field}" is not a string`);
  }
  return value;
}

function expectNumber(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidRow(where, `"${field}" is not a number`);
  }
  return value;
}

function expectId(value: unknown, where: string, field: string): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return String(value);
  }
  return expectString(value, where, field);
}

/** Tags may be `null` (flows the client registers), which means none. */
function expectStrings(value: unknown, where: string, field: string): string[] {
  if (value === null || value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidRow(where, `"${field}" is not a list of strings`);
  }
  return value as string[];
}

function invalidRow(where: string, problem: string): MetaflowError {
  return new MetaflowError('unavailable', `The Metaflow metadata service sent an invalid ${where}: ${problem}.`);
}

/** A row of a run's metadata list (`/runs/{run}/metadata`): a task metadata row with its task. */
export interface RunMetadataRow extends MetadataRow {
  step: string;
  taskId: string;
}

/** Converts a row of a run's metadata list. */
export function parseRunMetadataRow(json: unknown, where: string): RunMetadataRow {
  const row = expectObject(json, where);
  return {
    ...parseMetadataRow(json, where),
    step: expectString(row['step_name'], where, 'step_name'),
    taskId: expectId(row['task_id'], where, 'task_id'),
  };
}
