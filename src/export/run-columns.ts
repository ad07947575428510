import type { RunRow } from './run-row.ts';
import type { CsvColumn, CsvValue } from './write-csv.ts';

/** Prefix of the CSV columns that hold parameters: `param.alpha`. */
export const parameterColumnPrefix = 'param.';

const fixedColumns: CsvColumn<RunRow>[] = [
  { label: 'id', value: (row) => row.id },
  { label: 'pathspec', value: (row) => row.pathspec },
  { label: 'user', value: (row) => row.user },
  { label: 'userTags', value: (row) => JSON.stringify(row.userTags) },
  { label: 'systemTags', value: (row) => JSON.stringify(row.systemTags) },
  { label: 'createdAt', value: (row) => row.createdAt },
  { label: 'finishedAt', value: (row) => row.finishedAt },
  { label: 'durationSeconds', value: (row) => row.durationSeconds },
  { label: 'status', value: (row) => row.status },
  { label: 'lastActivityAt', value: (row) => row.lastActivityAt },
  { label: 'finished', value: (row) => row.finished },
  { label: 'successful', value: (row) => row.successful },
];

/**
 * Builds the CSV columns of a runs export: the run fields in the order of the JSON rows, then
 * one `param.<name>` column per parameter name, in the order given.
 */
export function runCsvColumns(parameterNames: Iterable<string>): CsvColumn<RunRow>[] {
  const parameterColumns = Array.from(parameterNames, (name): CsvColumn<RunRow> => ({
    label: `${parameterColumnPrefix}${name}`,
    value: (row) => (Object.hasOwn(row.parameters, name) ? parameterCell(row.parameters[name]) : undefined),
  }));
  return [...fixedColumns, ...parameterColumns];
}

/**
 * Converts a parameter value to a CSV cell. Text, numbers and booleans stay as they are. Lists,
 * objects and `null` become JSON text, so a `None` parameter (`null`) differs from a run
 * without the parameter (an empty cell).
 */
export function parameterCell(value: unknown): CsvValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  return JSON.stringify(value);
}
