import { isMetaflowError, MetaflowError } from '../errors.ts';
import { readArtifactRecord } from './artifact-records.ts';
import { parseGraphInfo, type GraphInfo } from './graph-info.ts';
import { type LocalContext, type TaskPath, taskPathspec } from './local-context.ts';
import { listTaskRecords } from './step-reader.ts';
import { readTaskRecord, type TaskRecord } from './task-reader.ts';

/**
 * Reads the run's `_graph_info` from `_parameters/0`, or from a `start` task when the
 * parameters task lacks it. Every task stores the same graph, and it never changes, so the
 * parsed graph is cached per run.
 *
 * @throws MetaflowError `not_found` when no task of the run has stored the graph yet.
 */
export async function readGraphInfo(context: LocalContext, flow: string, runId: string): Promise<GraphInfo> {
  const key = `${flow}/${runId}`;
  const cached = context.graphs.get(key);
  if (cached) {
    return cached;
  }

  const sources = [
    () => readTaskRecord(context, { flow, runId, step: '_parameters', taskId: '0' }).then((task) => [task]),
    () => listTaskRecords(context, flow, runId, 'start'),
  ];
  for (const readTasks of sources) {
    for (const task of await ignoreNotFound(readTasks)) {
      const graph = await readTaskGraph(context, task);
      if (graph !== null) {
        context.graphs.set(key, graph);
        return graph;
      }
    }
  }
  throw new MetaflowError('not_found', `The DAG of run ${flow}/${runId} is not recorded yet, because no task has stored its _graph_info.`);
}

/** Like `readGraphInfo`, but returns `null` instead of throwing when the graph is not recorded yet. */
export async function readGraphInfoIfRecorded(context: LocalContext, flow: string, runId: string): Promise<GraphInfo | null> {
  try {
    return await readGraphInfo(context, flow, runId);
  } catch (error) {
    if (isMetaflowError(error) && error.code === 'not_found') {
      return null;
    }
    throw error;
  }
}

async function readTaskGraph(context: LocalContext, task: TaskRecord): Promise<GraphInfo | null> {
  const attempt = task.artifactAttempt;
  if (attempt === null || !task.artifactNames.has('_graph_info')) {
    return null;
  }
  const path: TaskPath = { flow: task.info.flow, runId: task.info.runId, step: task.info.step, taskId: task.info.id };
  const where = `Artifact _graph_info of task ${taskPathspec(path)}`;
  const record = await readArtifactRecord(context, path, attempt, '_graph_info');
  return parseGraphInfo(await context.blobs.decode(path.flow, record.sha, where), where);
}

async function ignoreNotFound(readTasks: () => Promise<TaskRecord[]>): Promise<TaskRecord[]> {
  try {
    return await readTasks();
  } catch (error) {
    if (isMetaflowError(error) && error.code === 'not_found') {
      return [];
    }
    throw error;
  }
}
