import type { MetaflowReader, ParameterInfo, RunInfo, StatusOptions } from '../metaflow/reader.ts';
import { exportStatusOf, isoTime, isoTimeOrNull, toSeconds, type ExportStatus } from './export-status.ts';
import { readRunProgress, type RunProgress } from './run-progress.ts';

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
  lastActivityAt: string | null;
  finished: boolean;
  successful: boolean;
  /** Each parameter by name: `ParameterInfo.json`, the exact JSON value or else the `repr`. */
  parameters: Record<string, unknown>;
}

/** Reads a run's progress and parameters and builds its export row. */
export async function readRunRow(reader: MetaflowReader, run: RunInfo, options: StatusOptions): Promise<RunRow> {
  const [progress, parameters] = await Promise.all([
    readRunProgress(reader, run, options),
    reader.getParameters(run.flow, run.id),
  ]);
  return toRunRow(progress, parameters);
}

/** Builds a run's export row. */
export function toRunRow(progress: RunProgress, parameters: readonly ParameterInfo[]): RunRow {
  const { run } = progress;
  return {
    id: run.id,
    pathspec: run.pathspec,
    user: run.user,
    userTags: run.userTags,
    systemTags: run.systemTags,
    createdAt: isoTime(run.createdAt),
    finishedAt: isoTimeOrNull(run.finishedAt),
    durationSeconds: toSeconds(progress.durationMs),
    status: exportStatusOf(progress.state),
    lastActivityAt: isoTimeOrNull(progress.lastActivityAt),
    finished: run.finished,
    successful: run.successful,
    parameters: Object.fromEntries(parameters.map((parameter) => [parameter.name, exportedValue(parameter)])),
  };
}

/**
 * Returns the parameter's JSON value, or its `repr` when `JSON.stringify` would change the
 * value (a non-finite number, a bigint, `undefined`). The export then never contains a silent
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
