import type { ExportFormat } from '../machines/thread-events.ts';
import { checkExportPart, type ExportPart } from './export-schema.ts';
import type { ExportTable } from './export-table.ts';
import { writeCsv, type CsvOptions } from './write-csv.ts';
import { writeJson } from './write-json.ts';

/**
 * Writes an export as CSV or JSON text, chunk by chunk. The header and every row are checked
 * against the published schema before they are written. Returns the number of rows.
 *
 * @throws ExportError `invalid_export` when a part fails the schema (a bug), `flow_changed`
 *   when the runs changed between the two passes of a CSV export. Text already yielded is then
 *   incomplete, and the caller must not deliver it as a finished file.
 */
export async function* writeExport<Row extends { pathspec: string }>(
  table: ExportTable<Row>,
  format: ExportFormat,
  csvOptions: CsvOptions,
): AsyncGenerator<string, number> {
  checkExportPart(table.headerPart, table.header, table.subject);

  if (format === 'json') {
    const preamble = { format: 'metaflowbot-export', formatVersion: 1, kind: table.kind, header: table.header } as const;
    return yield* writeJson(preamble, checkedRows(table.rows(), table.rowPart));
  }

  const layout = await table.csvLayout();
  const rows = checkedRows(table.rows(), table.rowPart, layout.checkRow);
  return yield* writeCsv(layout.columns, rows, csvOptions);
}

async function* checkedRows<Row extends { pathspec: string }>(
  rows: AsyncIterable<Row>,
  part: ExportPart,
  checkRow: (row: Row) => void = () => undefined,
): AsyncGenerator<Row> {
  for await (const row of rows) {
    checkExportPart(part, row, row.pathspec);
    checkRow(row);
    yield row;
  }
}
