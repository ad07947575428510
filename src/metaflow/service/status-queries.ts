import type { FailedTask, RunStatus, StatusOptions } from '../reader.ts';
import { renderRepr } from '../pickle/index.ts';
import type { ServiceContext } from './service-context.ts';
import { fetchRunRow, fetchStepRows, fetchTaskRows, readRunEnd, toRunInfo } from './run-queries.ts';
import { computeServiceRunStatus, type FrontierTask } from './service-run-status.ts';
import { parseArtifactRow } from './service-records.ts';
import { fetchTaskAttempts, pathOf, toStatusTaskInfo, type TaskAddress } from './task-queries.ts';
import type { TaskInfo } from '../reader.ts';

/**
 * Reads a run's status in few requests: the run, its steps, the end task when the run has an
 * end step, then only the tasks of the newest step (its task list and one metadata request per
 * task). Steps older than the newest one have a successor, so their tasks ended. A finished
 * run lists each step's tasks for the counts and reads no task metadata.
 *
 * NOTE: the newest step stands for every step that may still run. In a static split
 * (`self.next(a, b)`) an older branch that is still running or failed counts as done until
 * the join starts.
 */
export async function readServiceRunStatus(context: ServiceContext, flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
  const row = await fetchRunRow(context, flow, runId);
  const stepRows = await fetchStepRows(context, flow, runId);
  const run = toRunInfo(row, await readRunEnd(context, flow, runId, stepRows));
  const steps = stepRows.filter((step) => !step.name.startsWith('_')).sort((left, right) => right.createdAt - left.createdAt);

  if (run.finished) {
    const counts = await Promise.all(steps.map(async (step) => ({ name: step.name, taskCount: (await fetchTaskRows(context, flow, runId, step.name)).length })));
    const status = computeServiceRunStatus({ run, runHeartbeatAt: row.heartbeatAt, steps: counts, frontier: [], frontierTasks: [], dagStepCount: null, ...options });
    return { run, ...status, failures: [] };
  }

  const frontier = steps.slice(0, 1).map((step) => step.name);
  const frontierTasks = await readFrontierTasks(context, flow, runId, frontier);
  const status = computeServiceRunStatus({
    run,
    runHeartbeatAt: row.heartbeatAt,
    steps: steps.map((step) => ({ name: step.name, taskCount: null })),
    frontier,
    frontierTasks,
    dagStepCount: null,
    ...options,
  });
  const { failedTasks, ...rest } = status;
  const failures: FailedTask[] = await Promise.all(failedTasks.map(async (task) => ({ task, exception: await readException(context, task) })));
  return { run, ...rest, failures };
}

async function readFrontierTasks(context: ServiceContext, flow: string, runId: string, frontier: readonly string[]): Promise<FrontierTask[]> {
  const perStep = await Promise.all(
    frontier.map(async (step) => {
      const rows = await fetchTaskRows(context, flow, runId, step);
      return Promise.all(
        rows.map(async (row) => {
          const address: TaskAddress = { flow, runId, step, taskId: row.id };
          const attempts = await fetchTaskAttempts(context, address);
          return { info: toStatusTaskInfo(address, row, attempts), state: attempts.state };
        }),
      );
    }),
  );
  return perStep.flat();
}

/**
 * Reads the `_exception` artifact as Python's `str()` shows it; `null` when none was stored or
 * it cannot be read (the status is still worth showing, so the problem only goes to the log).
 */
async function readException(context: ServiceContext, task: TaskInfo): Promise<string | null> {
  const address: TaskAddress = { flow: task.flow, runId: task.runId, step: task.step, taskId: task.id };
  try {
    const json = await context.client.getObject(`${pathOf(address)}/artifacts/_exception`);
    if (json === null) {
      return null;
    }
    const row = parseArtifactRow(json, `artifact _exception of task ${task.pathspec}`);
    const value = await context.blobs.decode(task.flow, row.sha, `Artifact _exception of task ${task.pathspec}`);
    if (value.kind === 'none') {
      return null;
    }
    return value.kind === 'str' ? value.value : renderRepr(value).text;
  } catch (error) {
    context.logger.warn('task exception not read', { task: task.pathspec, error: String(error) });
    return null;
  }
}
