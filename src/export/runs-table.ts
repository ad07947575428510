import { formatRunspec, type Runspec } from '../machines/runspec.ts';
import type { MetaflowReader, RunInfo } from '../metaflow/reader.ts';
import { ExportError } from './export-error.ts';
import { isoTime } from './export-status.ts';
import { exportSource, type CsvLayout, type ExportEnvironment, type ExportTable } from './export-table.ts';
import { mapInOrder } from './map-in-order.ts';
import { runCsvColumns } from './run-columns.ts';
import { readRunRow, type RunRow } from './run-row.ts';
import { RunSnapshot } from './run-snapshot.ts';
import type { RunListSpec, RunsQuery } from './runs-query.ts';

/**
 * Runs read at once: enough to overlap the reads of small files, few enough that the rows
 * held in memory stay a handful. The number is a judgment, not a measured optimum.
 */
const runsInFlight = 8;

/**
 * Plans the export of the runs a query names. `latest` is resolved here, once, so that both
 * passes of a CSV export see the same run.
 *
 * @throws MetaflowError `not_found` when a pathspec names a run that does not exist.
 */
export async function planRunsExport(environment: ExportEnvironment, query: RunsQuery): Promise<ExportTable<RunRow>> {
  const { reader } = environment;
  const runs = await runSource(reader, query);
  const options = { now: environment.now, staleAfterMs: environment.staleAfterMs };

  return {
    kind: 'runs',
    flow: query.runspec.flow,
    subject: formatRunspec(query.runspec),
    title: `Runs of ${formatRunspec(query.runspec)}`,
    fileStem: `${query.runspec.flow}-runs`,
    header: runsHeader(environment, query),
    headerPart: 'runsHeader',
    rowPart: 'runRow',
    rows: () => mapInOrder(runs(), runsInFlight, (run) => readRunRow(reader, run, options)),
    csvLayout: () => readRunsLayout(reader, runs()),
  };
}

/** Builds the header of a runs export: the request, the time, the source and the bot's version. */
function runsHeader(environment: ExportEnvironment, query: RunsQuery): object {
  const { runspec } = query;
  return {
    flow: runspec.flow,
    request: {
      runspec: formatRunspec(runspec),
      user: runspec.kind === 'pathspec' ? null : runspec.user,
      tags: runspec.kind === 'pathspec' ? [] : runspec.tags,
      limit: query.limit,
    },
    exportedAt: isoTime(environment.now),
    source: exportSource(environment),
    botVersion: environment.botVersion,
  };
}

async function runSource(reader: MetaflowReader, query: RunsQuery): Promise<() => AsyncIterable<RunInfo>> {
  const { runspec } = query;
  if (runspec.kind === 'runs') {
    const snapshot = new RunSnapshot(reader, runspec, query.limit);
    return () => snapshot.runs();
  }
  const run = await readSingleRun(reader, runspec);
  const runs = run === null ? [] : [run];
  return () => fromArray(runs);
}

/** Reads the run a pathspec or `latest` names, or returns `null` when `latest` finds none. */
async function readSingleRun(reader: MetaflowReader, runspec: Exclude<Runspec, RunListSpec>): Promise<RunInfo | null> {
  if (runspec.kind === 'pathspec') {
    return reader.getRun(runspec.flow, runspec.runId);
  }
  const filter = { user: runspec.user ?? undefined, tags: runspec.tags };
  return runspec.successful ? reader.latestSuccessfulRun(runspec.flow, filter) : reader.latestRun(runspec.flow, filter);
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

/**
 * Reads every run's parameter names for the `param.<name>` columns: their union, in the order
 * first seen (newest run first, each run in the flow's declaration order).
 */
async function readRunsLayout(reader: MetaflowReader, runs: AsyncIterable<RunInfo>): Promise<CsvLayout<RunRow>> {
  const names = new Set<string>();
  const lists = mapInOrder(runs, runsInFlight, (run) => reader.getParameters(run.flow, run.id));
  for await (const parameters of lists) {
    for (const parameter of parameters) {
      names.add(parameter.name);
    }
  }

  return {
    columns: runCsvColumns(names),
    checkRow: (row) => {
      const extra = Object.keys(row.parameters).find((name) => !names.has(name));
      if (extra !== undefined) {
        throw new ExportError('flow_changed', `The runs changed while the export was written (run ${row.pathspec} has a new parameter ${extra}). Export again.`, {
          where: row.pathspec,
          parameter: extra,
        });
      }
    },
  };
}
