import type { MetaflowReader, StatusOptions } from '../metaflow/reader.ts';
import { isoTime } from './export-status.ts';
import { exportSource, type ExportEnvironment, type ExportTable } from './export-table.ts';
import { taskCsvColumns } from './task-columns.ts';
import { toTaskRow, type TaskRow } from './task-row.ts';

/** A run named by its flow and id. */
export interface RunReference {
  flow: string;
  runId: string;
}

/**
 * Plans the export of one run's tasks: grouped by step, steps newest first and each step's
 * tasks newest first, as the reader lists them. The run's status is read once here, because
 * it names the failed tasks, including those whose process died before storing an outcome.
 *
 * @throws MetaflowError `not_found` when the run does not exist.
 */
export async function planTasksExport(environment: ExportEnvironment, run: RunReference): Promise<ExportTable<TaskRow>> {
  const { reader } = environment;
  const options = { now: environment.now, staleAfterMs: environment.staleAfterMs };
  const status = await reader.getRunStatus(run.flow, run.runId, options);
  const failed = new Set(status.failures.map((failure) => failure.task.pathspec));

  return {
    kind: 'tasks',
    flow: run.flow,
    subject: status.run.pathspec,
    title: `Tasks of ${status.run.pathspec}`,
    fileStem: `${run.flow}-${run.runId}-tasks`,
    header: {
      flow: run.flow,
      run: status.run.pathspec,
      exportedAt: isoTime(environment.now),
      source: exportSource(environment),
      botVersion: environment.botVersion,
    },
    headerPart: 'tasksHeader',
    rowPart: 'taskRow',
    rows: () => readTaskRows(reader, run, failed, options),
    csvLayout: async () => ({ columns: taskCsvColumns, checkRow: () => undefined }),
  };
}

async function* readTaskRows(
  reader: MetaflowReader,
  run: RunReference,
  failed: ReadonlySet<string>,
  options: StatusOptions,
): AsyncGenerator<TaskRow> {
  for (const step of await reader.listSteps(run.flow, run.runId)) {
    for (const task of await reader.listTasks(run.flow, run.runId, step.name)) {
      yield toTaskRow(task, failed.has(task.pathspec), options);
    }
  }
}
