import type { FailedTask, RunStatus, StatusOptions, TaskInfo } from '../reader.ts';
import { MetaflowError } from '../errors.ts';
import { renderRepr } from '../pickle/index.ts';
import { findOpenSteps } from './open-steps.ts';
import { fetchRunMetadata, type RunMetadata } from './run-metadata.ts';
import type { RunEnd, ServiceContext } from './service-context.ts';
import { defaultEndStep, fetchRunRow, fetchStepRows, fetchTaskRows, readRunEnd, readRunGraph, toRunInfo } from './run-queries.ts';
import { computeServiceRunStatus, type FrontierTask } from './service-run-status.ts';
import { parseArtifactRow, type StepRow, type TaskRow } from './service-records.ts';
import { readTaskAttempts, type TaskAttempts } from './task-attempts.ts';
import { pathOf, toStatusTaskInfo, type TaskAddress } from './task-queries.ts';

/**
 * Reads a run's status. The run, its steps and the run's metadata come at once: the metadata
 * names the end step and contains every task's attempts. A run whose end task succeeded then
 * needs only the time of its `_task_ok` record, as the client reports it: 4 requests, whatever
 * its size, and its task counts come from the metadata. Other runs read the task list of every
 * step, 3 requests plus 1 per step, and the state of each open task comes from the metadata.
 * Only when the end task has no verdict in the metadata (it is running, or the run was written
 * by a Metaflow that records none) are its `_task_ok` and `_success` read. A finished run's end
 * and task counts are cached, so a repeated status costs the run and its steps.
 *
 * An unfinished run also reads its graph once (from the datastore's index of the `_parameters`
 * task) to find the open steps, those with no started successor. Every open step counts, so a
 * failed or running branch of a split is seen before the join starts.
 */
export async function readServiceRunStatus(context: ServiceContext, flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
  const key = `${flow}/${runId}`;
  const cachedEnd = context.finishedRuns.get(key);
  const cachedCounts = context.finishedTaskCounts.get(key);
  const [row, stepRows, metadata] = await Promise.all([
    fetchRunRow(context, flow, runId),
    fetchStepRows(context, flow, runId),
    cachedEnd === undefined || cachedCounts === undefined ? fetchRunMetadata(context, flow, runId) : null,
  ]);
  const endStep = cachedEnd?.endStep ?? metadata?.endStep ?? context.endSteps.get(key) ?? defaultEndStep;
  const steps = stepRows.filter((step) => !step.name.startsWith('_')).sort((left, right) => right.createdAt - left.createdAt);

  // The metadata names every task that started, so its newest end task stands in for the task list.
  const endFromMetadata = metadata === null ? null : await readEndFromMetadata(context, { flow, runId, stepRows, endStep, endTasks: mergeTasks(endStep, [], metadata), metadata });
  const succeeded = cachedEnd ?? (endFromMetadata?.finished === true ? endFromMetadata : undefined);
  const finishedCounts = cachedCounts ?? (succeeded?.finished === true && metadata !== null ? countTasks(metadata) : undefined);
  if (succeeded?.finished === true && finishedCounts !== undefined) {
    context.finishedTaskCounts.set(key, finishedCounts);
    const run = toRunInfo(row, succeeded);
    const counts = steps.map((step) => ({ name: step.name, taskCount: finishedCounts.get(step.name) ?? 0 }));
    const status = computeServiceRunStatus({ run, runHeartbeatAt: row.heartbeatAt, steps: counts, frontier: [], frontierTasks: [], closedStepFailures: [], dagStepCount: null, ...options });
    return { run, ...status, failures: [] };
  }

  const taskLists = new Map(await Promise.all(steps.map(async (step) => [step.name, mergeTasks(step.name, await fetchTaskRows(context, flow, runId, step.name), metadata)] as const)));
  const endTasks = taskLists.get(endStep) ?? [];
  const end = succeeded ?? (await readEndFromMetadata(context, { flow, runId, stepRows, endStep, endTasks, metadata })) ?? (await readRunEnd(context, flow, runId, { steps: stepRows, endStep, endTasks, metadataHasNoVerdict: metadata !== null }));
  const run = toRunInfo(row, end);
  const counts = steps.map((step) => ({ name: step.name, taskCount: taskLists.get(step.name)?.length ?? 0 }));

  if (run.finished || metadata === null) {
    if (run.finished) {
      context.finishedTaskCounts.set(key, new Map(counts.map((step) => [step.name, step.taskCount])));
    }
    const status = computeServiceRunStatus({ run, runHeartbeatAt: row.heartbeatAt, steps: counts, frontier: [], frontierTasks: [], closedStepFailures: [], dagStepCount: null, ...options });
    return { run, ...status, failures: [] };
  }

  // Without the graph, the steps total is the number of steps seen, and findOpenSteps falls
  // back to the newest step alone.
  const dag = (await readGraphIfReadable(context, flow, runId))?.graph.dag ?? null;
  const frontier = findOpenSteps(dag, steps.map((step) => step.name));
  const frontierTasks = frontier.flatMap((step) => (taskLists.get(step) ?? []).map((task) => toFrontierTask({ flow, runId, step, taskId: task.id }, task, metadata)));
  const closedStepFailures = steps
    .filter((step) => !frontier.includes(step.name))
    .flatMap((step) => (taskLists.get(step.name) ?? []).map((task) => toFrontierTask({ flow, runId, step: step.name, taskId: task.id }, task, metadata)))
    .filter((task) => task.state === 'failed')
    .map((task) => task.info);
  const status = computeServiceRunStatus({
    run,
    runHeartbeatAt: row.heartbeatAt,
    steps: counts,
    frontier,
    frontierTasks,
    closedStepFailures,
    dagStepCount: dag === null ? null : dag.steps.length,
    ...options,
  });
  const { failedTasks, ...rest } = status;
  const failures: FailedTask[] = await Promise.all(failedTasks.map((task) => readFailure(context, task)));
  return { run, ...rest, failures };
}

/**
 * Reads the run's graph for a status, which the service's records can complete without it.
 * When the datastore cannot be read (S3 down or denying access, a damaged blob), the problem
 * goes to the log and the status is computed without the graph.
 */
async function readGraphIfReadable(context: ServiceContext, flow: string, runId: string): ReturnType<typeof readRunGraph> {
  try {
    return await readRunGraph(context, flow, runId);
  } catch (error) {
    if (error instanceof MetaflowError) {
      context.logger.warn('run graph not read, status computed without it', { run: `${flow}/${runId}`, error: error.message });
      return null;
    }
    throw error;
  }
}

/**
 * Merges a step's task list with the tasks its metadata names, newest first. The list can miss
 * a task, because the two requests are not one snapshot.
 */
function mergeTasks(step: string, listed: readonly TaskRow[], metadata: RunMetadata | null): TaskRow[] {
  const known = new Set(listed.map((task) => task.id));
  const extra = [...(metadata?.tasks.get(step) ?? [])]
    .filter(([id]) => !known.has(id))
    .map(([id, rows]): TaskRow => ({ step, id, createdAt: Math.min(...rows.map((row) => row.createdAt)), heartbeatAt: null }));
  return [...listed, ...extra].sort((left, right) => right.createdAt - left.createdAt || Number(right.id) - Number(left.id));
}

/**
 * Reads the run's end from the metadata of the newest of `endTasks`: `attempt_ok` `True` on its
 * newest attempt is finished and successful, `False` is not finished, as with `_task_ok`.
 * Returns `null` when the metadata has no verdict, so the caller reads the artifacts.
 */
async function readEndFromMetadata(
  context: ServiceContext,
  known: { flow: string; runId: string; stepRows: readonly StepRow[]; endStep: string; endTasks: readonly TaskRow[]; metadata: RunMetadata | null },
): Promise<RunEnd | null> {
  const notEnded: RunEnd = { finished: false, successful: false, finishedAt: null, endStep: known.endStep };
  const [endTask] = known.endTasks;
  if (!known.stepRows.some((step) => step.name === known.endStep) || endTask === undefined) {
    return notEnded;
  }
  const rows = known.metadata?.tasks.get(known.endStep)?.get(endTask.id);
  if (rows === undefined) {
    return null;
  }
  const attempts = readTaskAttempts(rows);
  if (attempts.state === 'running') {
    return null;
  }
  if (attempts.state === 'failed') {
    return notEnded;
  }
  return finishedEnd(context, { flow: known.flow, runId: known.runId, endStep: known.endStep, taskId: endTask.id, attempts });
}

/** Builds and caches a succeeded run's end, timed by its end task's `_task_ok` record, else by its `attempt_ok` row. */
async function finishedEnd(
  context: ServiceContext,
  end: { flow: string; runId: string; endStep: string; taskId: string; attempts: TaskAttempts },
): Promise<RunEnd> {
  const json = await context.client.getObject(`${pathOf({ flow: end.flow, runId: end.runId, step: end.endStep, taskId: end.taskId })}/artifacts/_task_ok`);
  const recordedAt = json === null ? null : parseArtifactRow(json, `artifact _task_ok of task ${end.flow}/${end.runId}/${end.endStep}/${end.taskId}`).createdAt;
  const runEnd: RunEnd = { finished: true, successful: true, finishedAt: recordedAt ?? end.attempts.attempts.at(-1)?.finishedAt ?? null, endStep: end.endStep };
  context.finishedRuns.set(`${end.flow}/${end.runId}`, runEnd);
  return runEnd;
}

/** Counts the tasks of each step that the run's metadata names, without `_parameters`. */
function countTasks(metadata: RunMetadata): Map<string, number> {
  return new Map([...metadata.tasks].filter(([step]) => !step.startsWith('_')).map(([step, tasks]) => [step, tasks.size]));
}

function toFrontierTask(address: TaskAddress, task: TaskRow, metadata: RunMetadata): FrontierTask {
  const attempts = readTaskAttempts(metadata.tasks.get(address.step)?.get(address.taskId) ?? []);
  return { info: toStatusTaskInfo(address, task, attempts), state: attempts.state };
}

/**
 * Reads the `_exception` artifact as Python's `str()` shows it. A task without one has
 * `exception: null`. When the record exists but its value cannot be read, the status is still
 * worth showing, so the reason goes into `exceptionProblem` and to the log.
 */
async function readFailure(context: ServiceContext, task: TaskInfo): Promise<FailedTask> {
  const address: TaskAddress = { flow: task.flow, runId: task.runId, step: task.step, taskId: task.id };
  try {
    const json = await context.client.getObject(`${pathOf(address)}/artifacts/_exception`);
    if (json === null) {
      return { task, exception: null };
    }
    const row = parseArtifactRow(json, `artifact _exception of task ${task.pathspec}`);
    const value = await context.blobs.decode(task.flow, row.sha, `Artifact _exception of task ${task.pathspec}`);
    if (value.kind === 'none') {
      return { task, exception: null };
    }
    return { task, exception: value.kind === 'str' ? value.value : renderRepr(value).text };
  } catch (error) {
    context.logger.warn('task exception not read', { task: task.pathspec, error: String(error) });
    return { task, exception: null, exceptionProblem: error instanceof MetaflowError ? error.message : 'reading it failed (the details are in the bot\'s log).' };
  }
}
