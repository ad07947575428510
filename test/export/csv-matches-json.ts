import { expect } from 'vitest';
import { readCsv } from './read-csv.ts';

/** Characters that the export prefixes with `'` at the start of a text cell. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * Checks that a CSV cell contains a JSON value in the documented form. `null` is an empty cell,
 * numbers and booleans are written as they are, and lists and objects are JSON text. Text is
 * kept, with a `'` before it only when it starts with a formula character.
 */
export function expectCellMatches(cell: string, value: unknown, where: string): void {
  if (value === null || value === undefined) {
    expect(cell, where).toBe('');
  } else if (typeof value === 'number') {
    expect(Number(cell), where).toBe(value);
  } else if (typeof value === 'boolean') {
    expect(cell, where).toBe(String(value));
  } else if (typeof value === 'string') {
    const unprefixed = cell.startsWith("'") && !value.startsWith("'") ? cell.slice(1) : cell;
    expect(unprefixed, where).toBe(value);
    if (unprefixed !== cell) {
      expect(formulaStart.test(value), `${where}: only formula text gets a prefix`).toBe(true);
    }
  } else {
    expect(JSON.parse(cell), where).toEqual(value);
  }
}

/**
 * Parses a CSV export and checks it against the JSON export's rows, row by row and column by
 * column. `param.<name>` columns are read from `parameters`, where a missing parameter is an
 * empty cell and a `null` one is the JSON text `null`.
 */
export function expectCsvMatchesJson(csv: string, rows: readonly Record<string, unknown>[], where: string): string[] {
  const [header, ...records] = readCsv(csv);
  expect(header, `${where}: header`).toBeDefined();
  expect(records.length, `${where}: record count`).toBe(rows.length);

  records.forEach((record, index) => {
    const row = rows[index] ?? {};
    expect(record.length, `${where} row ${index}: field count`).toBe(header?.length);
    header?.forEach((label, column) => {
      const cell = record[column] ?? '';
      const place = `${where} row ${index} ${label}`;
      if (label.startsWith('param.')) {
        expectParameterCell(cell, row['parameters'] as Record<string, unknown>, label.slice('param.'.length), place);
      } else {
        expectCellMatches(cell, row[label], place);
      }
    });
  });
  return header ?? [];
}

function expectParameterCell(cell: string, parameters: Record<string, unknown>, name: string, where: string): void {
  if (!Object.hasOwn(parameters, name)) {
    expect(cell, `${where}: missing parameter`).toBe('');
  } else if (parameters[name] === null) {
    expect(cell, where).toBe('null');
  } else {
    expectCellMatches(cell, parameters[name], where);
  }
}
