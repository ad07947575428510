import type { MetaflowReader, ParameterInfo, RunInfo, RunStatus, StatusOptions } from '../metaflow/reader.ts';
import { exportStatusOf, isoTime, isoTimeOrNull, toSeconds, type ExportStatus } from './export-status.ts';

/** One run in an export; the field names are the CSV column names too. */
export interface RunRow {
  id: string;
  pathspec: string;
  user: string | null;
  userTags: string[];
  systemTags: string[];
  createdAt: string;
  finishedAt: string | null;
  durationSeconds: number;
  status: ExportStatus;
  lastActivityAt: string;
  finished: boolean;
  successful: boolean;
  /** Each parameter by name: `ParameterInfo.json`, the exact JSON value or else the `repr`. */
  parameters: Record<string, unknown>;
}

/** Reads a run's status and parameters and builds its export row. */
export async function readRunRow(reader: MetaflowReader, run: RunInfo, options: StatusOptions): Promise<RunRow> {
  const [status, parameters] = await Promise.all([
    reader.getRunStatus(run.flow, run.id, options),
    reader.getParameters(run.flow, run.id),
  ]);
  return toRunRow(status, parameters);
}

/**
 * Builds a run's export row. The duration is the one the bot shows: to the end, to now while
 * running, and to the last activity for a run with no activity.
 */
export function toRunRow(status: RunStatus, parameters: readonly ParameterInfo[]): RunRow {
  const run = status.run;
  const durationMs = status.state === 'stale' ? status.lastActivityAt - run.createdAt : status.durationMs;
  return {
    id: run.id,
    pathspec: run.pathspec,
    user: run.user,
    userTags: run.userTags,
    systemTags: run.systemTags,
    createdAt: isoTime(run.createdAt),
    finishedAt: isoTimeOrNull(run.finishedAt),
    durationSeconds: toSeconds(durationMs),
    status: exportStatusOf(status.state),
    lastActivityAt: isoTime(status.lastActivityAt),
    finished: run.finished,
    successful: run.successful,
    parameters: Object.fromEntries(parameters.map((parameter) => [parameter.name, exportedValue(parameter)])),
  };
}

/**
 * Returns the parameter's JSON value, or its `repr` when `JSON.stringify` would change the
 * value (a non-finite number, a bigint, `undefined`). The export then never holds a silent
 * `null` in place of a value.
 */
function exportedValue(parameter: ParameterInfo): unknown {
  return isPlainJson(parameter.json) ? parameter.json : parameter.repr;
}

function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return true;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value);
  }
  if (Array.isArray(value)) {
    return value.every(isPlainJson);
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every(isPlainJson);
  }
  return false;
}
