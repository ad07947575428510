/**
 * Run-level reads: run rows, their end state and the run's graph. The end step is `end`, the
 * step that Metaflow's graph requires.
 *
 * NOTE: the client reads the end step's name from the `end_step` metadata of `_parameters`,
 * which costs two more requests; this reader assumes `end`, which every Metaflow 2.19 flow uses.
 */
import { parseGraphInfo, type GraphInfo } from '../local/graph-info.ts';
import { compareCodePoints } from '../local/run-reader.ts';
import { MetaflowError } from '../errors.ts';
import type { RunInfo } from '../reader.ts';
import type { RunEnd, ServiceContext } from './service-context.ts';
import { runPath, stepPath, taskPath } from './service-paths.ts';
import { parseArtifactRow, parseRows, parseRunRow, parseStepRow, parseTaskRow, type RunRow, type StepRow, type TaskRow } from './service-records.ts';

/** The step whose end task decides `finished` and `successful`. */
export const endStepName = 'end';

const notEnded: RunEnd = { finished: false, successful: false, finishedAt: null };

/** Fetches a run row; `not_found` when the service has no such run. */
export async function fetchRunRow(context: ServiceContext, flow: string, runId: string): Promise<RunRow> {
  const json = await context.client.getObject(runPath(flow, runId));
  if (json === null) {
    throw new MetaflowError('not_found', `Run ${flow}/${runId} was not found.`);
  }
  return parseRunRow(json, `run ${flow}/${runId}`);
}

/** Fetches a run's steps, `_parameters` included; `[]` for an unknown run. */
export async function fetchStepRows(context: ServiceContext, flow: string, runId: string): Promise<StepRow[]> {
  return parseRows(await context.client.getList(`${runPath(flow, runId)}/steps`), `step list of ${flow}/${runId}`, parseStepRow);
}

/** Fetches a step's tasks, newest first; `[]` for an unknown step. */
export async function fetchTaskRows(context: ServiceContext, flow: string, runId: string, step: string): Promise<TaskRow[]> {
  const rows = parseRows(await context.client.getList(`${stepPath(flow, runId, step)}/tasks`), `task list of ${flow}/${runId}/${step}`, parseTaskRow);
  return rows.sort((left, right) => right.createdAt - left.createdAt || Number(right.id) - Number(left.id));
}

/**
 * Reads a run's end state as the client does: `_task_ok` and `_success` of the newest end task,
 * and the time of the `_task_ok` record. `steps` saves the step list request when the caller has it.
 * Finished runs are cached.
 */
export async function readRunEnd(context: ServiceContext, flow: string, runId: string, steps?: readonly StepRow[]): Promise<RunEnd> {
  const key = `${flow}/${runId}`;
  const cached = context.finishedRuns.get(key);
  if (cached) {
    return cached;
  }
  const stepRows = steps ?? (await fetchStepRows(context, flow, runId));
  if (!stepRows.some((step) => step.name === endStepName)) {
    return notEnded;
  }
  const [endTask] = await fetchTaskRows(context, flow, runId, endStepName);
  if (endTask === undefined) {
    return notEnded;
  }

  const path = taskPath(flow, runId, endStepName, endTask.id);
  const [taskOk, success] = await Promise.all(['_task_ok', '_success'].map((name) => context.client.getObject(`${path}/artifacts/${name}`)));
  const where = `task ${flow}/${runId}/${endStepName}/${endTask.id}`;
  const taskOkRow = taskOk === null ? null : parseArtifactRow(taskOk, `artifact _task_ok of ${where}`);
  const successRow = success === null ? null : parseArtifactRow(success, `artifact _success of ${where}`);
  const end: RunEnd = {
    finished: taskOkRow === null ? false : await context.blobs.decodeBool(flow, taskOkRow.sha, `Artifact _task_ok of ${where}`),
    successful: successRow === null ? false : await context.blobs.decodeBool(flow, successRow.sha, `Artifact _success of ${where}`),
    finishedAt: taskOkRow?.createdAt ?? null,
  };
  if (end.finished) {
    context.finishedRuns.set(key, end);
  }
  return end;
}

/** Builds the public `RunInfo`; tags are sorted by code point, as Python sorts strings. */
export function toRunInfo(row: RunRow, end: RunEnd): RunInfo {
  const userTag = row.systemTags.find((tag) => tag.startsWith('user:'));
  return {
    flow: row.flow,
    id: row.id,
    pathspec: `${row.flow}/${row.id}`,
    user: userTag === undefined ? null : userTag.slice('user:'.length),
    userTags: [...row.tags].sort(compareCodePoints),
    systemTags: [...row.systemTags].sort(compareCodePoints),
    createdAt: row.createdAt,
    ...end,
    endStep: endStepName,
  };
}

/**
 * Reads the run's `_graph_info` from its `_parameters` task, which every run has; cached per run.
 *
 * @throws MetaflowError `not_found` when the `_parameters` task has not stored it yet.
 */
export async function readRunGraph(context: ServiceContext, flow: string, runId: string): Promise<{ graph: GraphInfo; parametersTask: string }> {
  const [task] = await fetchTaskRows(context, flow, runId, '_parameters');
  if (task === undefined) {
    throw new MetaflowError('not_found', `The DAG of run ${flow}/${runId} is not recorded yet, because it has no _parameters task.`);
  }
  const key = `${flow}/${runId}`;
  const cached = context.graphs.get(key);
  if (cached) {
    return { graph: cached, parametersTask: task.id };
  }

  const where = `task ${flow}/${runId}/_parameters/${task.id}`;
  const json = await context.client.getObject(`${taskPath(flow, runId, '_parameters', task.id)}/artifacts/_graph_info`);
  if (json === null) {
    throw new MetaflowError('not_found', `The DAG of run ${flow}/${runId} is not recorded yet, because ${where} has no _graph_info.`);
  }
  const row = parseArtifactRow(json, `artifact _graph_info of ${where}`);
  const graph = parseGraphInfo(await context.blobs.decode(flow, row.sha, `Artifact _graph_info of ${where}`), `Artifact _graph_info of ${where}`);
  context.graphs.set(key, graph);
  return { graph, parametersTask: task.id };
}
