import type { FailedTask, RunStatus, StatusOptions, TaskInfo } from '../reader.ts';
import { renderRepr } from '../pickle/index.ts';
import { findOpenSteps } from './open-steps.ts';
import type { ServiceContext } from './service-context.ts';
import { fetchRunRow, fetchStepRows, fetchTaskRows, readEndStep, readRunEnd, readRunGraph, toRunInfo } from './run-queries.ts';
import { computeServiceRunStatus, type FrontierTask } from './service-run-status.ts';
import { parseArtifactRow, type TaskRow } from './service-records.ts';
import { fetchTaskAttempts, pathOf, toStatusTaskInfo, type TaskAddress } from './task-queries.ts';

/**
 * Reads a run's status: the run, its steps, the end step's name (two requests, cached per run),
 * the task list of every step, and the end task's `_task_ok` and `_success` when the end step
 * has started. A finished run stops there, because every task of it ended.
 *
 * An unfinished run also reads its graph (one request, cached per run) to find the open steps,
 * those with no started successor, and one metadata request per task of an open step. Every
 * open step counts, so a failed or running branch of a split is seen before the join starts.
 */
export async function readServiceRunStatus(context: ServiceContext, flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
  const [row, stepRows, endStep] = await Promise.all([fetchRunRow(context, flow, runId), fetchStepRows(context, flow, runId), readEndStep(context, flow, runId)]);
  const steps = stepRows.filter((step) => !step.name.startsWith('_')).sort((left, right) => right.createdAt - left.createdAt);
  const taskLists = new Map(await Promise.all(steps.map(async (step) => [step.name, await fetchTaskRows(context, flow, runId, step.name)] as const)));
  const run = toRunInfo(row, await readRunEnd(context, flow, runId, { steps: stepRows, endStep, endTasks: taskLists.get(endStep) ?? [] }));
  const counts = steps.map((step) => ({ name: step.name, taskCount: taskLists.get(step.name)?.length ?? 0 }));

  if (run.finished) {
    const status = computeServiceRunStatus({ run, runHeartbeatAt: row.heartbeatAt, steps: counts, frontier: [], frontierTasks: [], dagStepCount: null, ...options });
    return { run, ...status, failures: [] };
  }

  // Without the graph, the steps total is the number of steps seen, and findOpenSteps falls
  // back to the newest step alone.
  const dag = (await readRunGraph(context, flow, runId))?.graph.dag ?? null;
  const frontier = findOpenSteps(dag, steps.map((step) => step.name));
  const frontierTasks = await readFrontierTasks(context, { flow, runId }, frontier, taskLists);
  const status = computeServiceRunStatus({
    run,
    runHeartbeatAt: row.heartbeatAt,
    steps: counts,
    frontier,
    frontierTasks,
    dagStepCount: dag === null ? null : dag.steps.length,
    ...options,
  });
  const { failedTasks, ...rest } = status;
  const failures: FailedTask[] = await Promise.all(failedTasks.map(async (task) => ({ task, exception: await readException(context, task) })));
  return { run, ...rest, failures };
}

async function readFrontierTasks(
  context: ServiceContext,
  run: { flow: string; runId: string },
  frontier: readonly string[],
  taskLists: ReadonlyMap<string, readonly TaskRow[]>,
): Promise<FrontierTask[]> {
  const perStep = await Promise.all(
    frontier.map((step) =>
      Promise.all(
        (taskLists.get(step) ?? []).map(async (row) => {
          const address: TaskAddress = { ...run, step, taskId: row.id };
          const attempts = await fetchTaskAttempts(context, address);
          return { info: toStatusTaskInfo(address, row, attempts), state: attempts.state };
        }),
      ),
    ),
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
