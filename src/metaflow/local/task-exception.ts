import { renderRepr } from '../pickle/index.ts';
import { readArtifactRecord } from './artifact-records.ts';
import type { GraphInfo } from './graph-info.ts';
import { type LocalContext, type TaskPath, taskPathspec } from './local-context.ts';
import type { TaskRecord } from './task-reader.ts';

/**
 * Returns the task's exception as Python's `str()` shows it (a `MetaflowExceptionWrapper` shows
 * its traceback), or `null` when none was stored. The client reads `_exception`. A failure that
 * `@catch` handled leaves `_exception` as None and stores the wrapper in the decorator's `var`,
 * so that artifact is read next.
 */
export async function readTaskException(context: LocalContext, task: TaskRecord, graph: GraphInfo | null): Promise<string | null> {
  const catchVariable = graph?.catchVariables.get(task.info.step);
  for (const name of ['_exception', ...(catchVariable === undefined ? [] : [catchVariable])]) {
    const text = await readExceptionArtifact(context, task, name);
    if (text !== null) {
      return text;
    }
  }
  return null;
}

async function readExceptionArtifact(context: LocalContext, task: TaskRecord, name: string): Promise<string | null> {
  const attempt = task.artifactAttempt;
  if (attempt === null || !task.artifactNames.has(name)) {
    return null;
  }
  const path: TaskPath = { flow: task.info.flow, runId: task.info.runId, step: task.info.step, taskId: task.info.id };
  const record = await readArtifactRecord(context, path, attempt, name);
  const value = await context.blobs.decode(path.flow, record.sha, `Artifact ${name} of task ${taskPathspec(path)}`);
  if (value.kind === 'none') {
    return null;
  }
  return value.kind === 'str' ? value.value : renderRepr(value).text;
}
