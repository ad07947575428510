/**
 * Run-level reads: run rows, their end state, the end step's name and the run's graph. Like the
 * client (Metaflow 2.19.38), the reader takes the end step's name from the `end_step` metadata
 * of the `_parameters` task.
 */
import { parseGraphInfo, type GraphInfo } from '../local/graph-info.ts';
import { readTaskAttempts } from './task-attempts.ts';
import { compareCodePoints } from '../local/run-reader.ts';
import { MetaflowError } from '../errors.ts';
import type { RunInfo } from '../reader.ts';
import type { RunEnd, ServiceContext } from './service-context.ts';
import { runPath, stepPath, taskPath } from './service-paths.ts';
import {
  parseArtifactRow, parseMetadataRow, parseRows, parseRunRow, parseStepRow, parseTaskRow, type RunRow, type StepRow, type TaskRow,
} from './service-records.ts';

/** The end step's name when the `_parameters` task records none: the name Metaflow's graph requires. */
export const defaultEndStep = 'end';

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
 * Reads the end step's name from the `end_step` metadata of the run's `_parameters` task, as
 * the client does; cached per run once found, because a run's graph never changes. Without a
 * `_parameters` task or that row (a run that has just started), it is `end`, uncached.
 */
export async function readEndStep(context: ServiceContext, flow: string, runId: string): Promise<string> {
  const key = `${flow}/${runId}`;
  const cached = context.endSteps.get(key) ?? context.finishedRuns.get(key)?.endStep;
  if (cached !== undefined) {
    return cached;
  }
  const taskId = await fetchParametersTaskId(context, flow, runId);
  if (taskId === null) {
    return defaultEndStep;
  }
  const json = await context.client.getList(`${taskPath(flow, runId, '_parameters', taskId)}/metadata`);
  const rows = parseRows(json, `metadata of task ${flow}/${runId}/_parameters/${taskId}`, parseMetadataRow);
  const endStep = rows.find((row) => row.field === 'end_step')?.value;
  if (endStep === undefined || endStep === '') {
    return defaultEndStep;
  }
  context.endSteps.set(key, endStep);
  return endStep;
}

/** Fetches the id of the run's `_parameters` task, `null` before it exists; cached per run, because there is only one. */
export async function fetchParametersTaskId(context: ServiceContext, flow: string, runId: string): Promise<string | null> {
  const key = `${flow}/${runId}`;
  const cached = context.parametersTasks.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const [task] = await fetchTaskRows(context, flow, runId, '_parameters');
  if (task === undefined) {
    return null;
  }
  context.parametersTasks.set(key, task.id);
  return task.id;
}

/**
 * Reads a run's end state: the verdict of the newest end task's `attempt_ok` row, or without
 * one the values of its `_task_ok` and `_success` artifacts, as the client reads them; the time
 * is that of the `_task_ok` record. `known` saves the requests for the step list, the end step's
 * name, its task list and the end task's metadata when the caller has them. Finished runs are
 * cached.
 */
export async function readRunEnd(
  context: ServiceContext,
  flow: string,
  runId: string,
  known: { steps?: readonly StepRow[]; endStep?: string; endTasks?: readonly TaskRow[]; metadataHasNoVerdict?: boolean } = {},
): Promise<RunEnd> {
  const key = `${flow}/${runId}`;
  const cached = context.finishedRuns.get(key);
  if (cached) {
    return cached;
  }
  const [stepRows, endStep] = await Promise.all([known.steps ?? fetchStepRows(context, flow, runId), known.endStep ?? readEndStep(context, flow, runId)]);
  const notEnded: RunEnd = { finished: false, successful: false, finishedAt: null, endStep };
  if (!stepRows.some((step) => step.name === endStep)) {
    return notEnded;
  }
  const [endTask] = known.endTasks ?? (await fetchTaskRows(context, flow, runId, endStep));
  if (endTask === undefined) {
    return notEnded;
  }

  const path = taskPath(flow, runId, endStep, endTask.id);
  const where = `task ${flow}/${runId}/${endStep}/${endTask.id}`;
  // The end task's `attempt_ok` row gives the verdict without reading values from the
  // datastore; the `_task_ok` record gives the time, as the client reports it.
  const [metadataRows, taskOk] = await Promise.all([
    known.metadataHasNoVerdict === true ? [] : context.client.getList(`${path}/metadata`),
    context.client.getObject(`${path}/artifacts/_task_ok`),
  ]);
  const verdict = readTaskAttempts(parseRows(metadataRows, `metadata of ${where}`, parseMetadataRow)).state;
  const taskOkRow = taskOk === null ? null : parseArtifactRow(taskOk, `artifact _task_ok of ${where}`);
  let end: RunEnd;
  if (verdict === 'done' || verdict === 'failed') {
    const finished = verdict === 'done';
    end = { finished, successful: finished, finishedAt: finished ? (taskOkRow?.createdAt ?? null) : null, endStep };
  } else {
    const success = await context.client.getObject(`${path}/artifacts/_success`);
    const successRow = success === null ? null : parseArtifactRow(success, `artifact _success of ${where}`);
    end = {
      finished: taskOkRow === null ? false : await context.blobs.decodeBool(flow, taskOkRow.sha, `Artifact _task_ok of ${where}`),
      successful: successRow === null ? false : await context.blobs.decodeBool(flow, successRow.sha, `Artifact _success of ${where}`),
      finishedAt: taskOkRow?.createdAt ?? null,
      endStep,
    };
  }
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
  };
}

/**
 * Reads the run's `_graph_info` from its `_parameters` task; cached per run. The sha comes from
 * the task's `0.data.json` in the datastore, or from the service when the index lacks it.
 * `null` when neither has it, or the run has no `_parameters` task yet: the run may still exist.
 */
export async function readRunGraph(context: ServiceContext, flow: string, runId: string): Promise<{ graph: GraphInfo; parametersTask: string } | null> {
  const taskId = await fetchParametersTaskId(context, flow, runId);
  if (taskId === null) {
    return null;
  }
  const key = `${flow}/${runId}`;
  const cached = context.graphs.get(key);
  if (cached) {
    return { graph: cached, parametersTask: taskId };
  }

  const where = `task ${flow}/${runId}/_parameters/${taskId}`;
  const sha = await findGraphSha(context, flow, runId, taskId, where);
  if (sha === null) {
    context.logger.warn('run graph not recorded', { run: key, task: where });
    return null;
  }
  const graph = parseGraphInfo(await context.blobs.decode(flow, sha, `Artifact _graph_info of ${where}`), `Artifact _graph_info of ${where}`);
  context.graphs.set(key, graph);
  return { graph, parametersTask: taskId };
}

async function findGraphSha(context: ServiceContext, flow: string, runId: string, taskId: string, where: string): Promise<string | null> {
  // The `_parameters` task runs once and is never retried, so its only attempt is 0. Its index
  // in the datastore saves a request; the service's record is the fallback.
  const shas = await context.blobs.readStoredShas([flow, runId, '_parameters', taskId], 0);
  const stored = shas.get('_graph_info');
  if (stored !== undefined) {
    return stored;
  }
  const json = await context.client.getObject(`${taskPath(flow, runId, '_parameters', taskId)}/artifacts/_graph_info`);
  return json === null ? null : parseArtifactRow(json, `artifact _graph_info of ${where}`).sha;
}
