import { StreamParser } from '@json2csv/plainjs';
import { formatCsvText } from './csv-cell.ts';

/** The value a CSV cell is built from: text, a number, a boolean, or nothing (an empty cell). */
export type CsvValue = string | number | boolean | null | undefined;

/** One CSV column: its header label and how to read its cell from a row. */
export interface CsvColumn<Row> {
  label: string;
  value: (row: Row) => CsvValue;
}

/** Options of the CSV text. */
export interface CsvOptions {
  /**
   * Start with a UTF-8 byte order mark. Excel for Windows reads a CSV without it in the legacy
   * code page, which turns `résumé 🚀` into mojibake. Python's `csv` module then needs
   * `encoding="utf-8-sig"`.
   */
  bom: boolean;
}

/** RFC 4180 separates records with CRLF. */
const eol = '\r\n';

/**
 * Writes rows as CSV with json2csv's incremental parser: one header row, then one record per
 * row, each yielded as soon as its row arrives. Text cells are neutralized against formulas
 * and quoted where needed; numbers and booleans are written as they are; `null` and
 * `undefined` give an empty cell. Returns the number of rows written.
 */
export async function* writeCsv<Row extends object>(
  columns: readonly CsvColumn<Row>[],
  rows: AsyncIterable<Row>,
  options: CsvOptions,
): AsyncGenerator<string, number> {
  const parser = new StreamParser<Row, Row>(
    {
      fields: columns.map((column) => ({ label: column.label, value: column.value })),
      withBOM: options.bom,
      eol,
      includeEmptyRows: true,
      formatters: { header: formatCsvText, string: formatCsvText },
    },
    { objectMode: true },
  );
  let pending = '';
  parser.onData = (chunk) => {
    pending += chunk;
  };
  parser.onError = (error) => {
    throw error;
  };

  let count = 0;
  for await (const row of rows) {
    parser.write(row);
    count += 1;
    yield takePending();
  }
  parser.end();
  yield `${takePending()}${eol}`;
  return count;

  function takePending(): string {
    const chunk = pending;
    pending = '';
    return chunk;
  }
}
