import type { RunInfo, RunStatus, StatusOptions } from '../reader.ts';
import { readGraphInfoIfRecorded } from './graph-reader.ts';
import type { LocalContext } from './local-context.ts';
import { computeRunStatus, computeSucceededRunStatus, type StepTasks } from './run-status.ts';
import { countTaskFolders, listStepEntries, listTaskRecords } from './step-reader.ts';
import { readTaskException } from './task-exception.ts';

/**
 * Reads every step and task of a run and computes its status (see `computeRunStatus`), with
 * the exception text of each failing task. A run whose end task succeeded needs no task but
 * that one: its other tasks all ended before it started, so their folders are only counted.
 */
export async function readRunStatus(context: LocalContext, run: RunInfo, options: StatusOptions): Promise<RunStatus> {
  const graph = await readGraphInfoIfRecorded(context, run.flow, run.id);
  const entries = await listStepEntries(context, run.flow, run.id);
  if (run.finished && run.successful) {
    const [counts, endTasks] = await Promise.all([
      Promise.all(entries.map(async (entry) => ({ name: entry.name, taskCount: await countTaskFolders(context, run.flow, run.id, entry.name) }))),
      listTaskRecords(context, run.flow, run.id, run.endStep),
    ]);
    return { run, ...computeSucceededRunStatus(run, graph, counts, endTasks), failures: [] };
  }
  const steps: StepTasks[] = await Promise.all(entries.map(async (entry) => ({ entry, tasks: await listTaskRecords(context, run.flow, run.id, entry.name) })));

  const { failedTasks, ...status } = computeRunStatus(run, graph, steps, options);
  const failures = await Promise.all(failedTasks.map(async (task) => ({ task: task.info, exception: await readTaskException(context, task, graph) })));
  return { run, ...status, failures };
}
