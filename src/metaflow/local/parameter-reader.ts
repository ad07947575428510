import { MetaflowError } from '../errors.ts';
import { pythonTypeName, renderRepr, toJsonValue } from '../pickle/index.ts';
import type { ParameterInfo } from '../reader.ts';
import { readStoredArtifacts } from './artifact-records.ts';
import { readGraphInfo } from './graph-reader.ts';
import type { LocalContext, TaskPath } from './local-context.ts';
import { readTaskRecord } from './task-reader.ts';

/**
 * Reads a run's parameters. The client has no parameter API, so this takes the names declared
 * in `_graph_info['parameters']`, in that order, and the values of the artifacts of the same
 * names in the hidden task `_parameters/0`.
 *
 * @throws MetaflowError `not_found` when the run has no `_parameters/0` task yet;
 *   `corrupt_data` when a declared parameter has no value there.
 */
export async function readRunParameters(context: LocalContext, flow: string, runId: string): Promise<ParameterInfo[]> {
  const path: TaskPath = { flow, runId, step: '_parameters', taskId: '0' };
  const task = await readTaskRecord(context, path);
  const graph = await readGraphInfo(context, flow, runId);
  if (graph.parameterNames.length === 0) {
    return [];
  }
  if (task.artifactAttempt === null) {
    throw new MetaflowError('not_found', `The parameters of run ${flow}/${runId} are not recorded yet.`);
  }

  const stored = await readStoredArtifacts(context, path, task.artifactAttempt);
  const parameters: ParameterInfo[] = [];
  for (const name of graph.parameterNames) {
    const entry = stored.get(name);
    if (entry === undefined) {
      throw new MetaflowError('corrupt_data', `Run ${flow}/${runId} declares parameter ${name}, but _parameters/0 has no value for it.`);
    }
    const value = await context.blobs.decode(flow, entry.sha, `Parameter ${name} of run ${flow}/${runId}`);
    const repr = renderRepr(value).text;
    parameters.push({ name, repr, type: pythonTypeName(value), json: toJsonValue(value) });
  }
  return parameters;
}
