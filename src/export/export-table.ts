import type { MetaflowReader } from '../metaflow/reader.ts';
import type { ExportPart } from './export-schema.ts';
import type { CsvColumn } from './write-csv.ts';

/** The reader an export uses, the time it judges statuses at, and the details its header records. */
export interface ExportEnvironment {
  reader: MetaflowReader;
  /** The export's time in epoch milliseconds: every row's status is judged at this instant. */
  now: number;
  /** An unfinished run or task silent for longer than this, in milliseconds, shows as `no activity`. */
  staleAfterMs: number;
  botVersion: string;
  /** The source's name when the bot reads more than one (e.g. a Metaflow profile). */
  sourceLabel: string | null;
}

/** The CSV columns of a table, and a check that a row fits them (it throws when it does not). */
export interface CsvLayout<Row> {
  columns: CsvColumn<Row>[];
  checkRow: (row: Row) => void;
}

/** An export before it is written: its header and where its rows come from. */
export interface ExportTable<Row extends { pathspec: string }> {
  kind: 'runs' | 'tasks';
  flow: string;
  /** The pathspec or runspec the export is about, for messages. */
  subject: string;
  /** A title for the file, e.g. `Runs of HelloFlow`. */
  title: string;
  /** The start of the file name, e.g. `HelloFlow-runs`; made of Metaflow names, so safe in a path. */
  fileStem: string;
  header: object;
  headerPart: ExportPart;
  rowPart: ExportPart;
  /** Yields the rows newest first. A second call yields the same rows (a CSV export reads them twice). */
  rows(): AsyncIterable<Row>;
  /** Works out the CSV columns; may read every row's parameters first. */
  csvLayout(): Promise<CsvLayout<Row>>;
}

/** Builds the `source` part of every header. */
export function exportSource(environment: ExportEnvironment): { label: string | null; backend: string } {
  return { label: environment.sourceLabel, backend: environment.reader.description };
}

/** Builds a file name for an export, `HelloFlow-runs-20261204T193851Z.csv`, with the export time in UTC. */
export function exportFileName(table: { fileStem: string }, format: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${table.fileStem}-${stamp}.${format}`;
}
