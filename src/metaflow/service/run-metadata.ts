/**
 * A run's metadata in one request: `/flows/{flow}/runs/{run}/metadata` returns the metadata rows
 * of every task of the run. From them the reader takes the end step's name (the `end_step` row
 * of the `_parameters` task) and the attempts of every task that has started one, instead of one
 * request per task.
 */
import type { ServiceContext } from './service-context.ts';
import { runPath } from './service-paths.ts';
import { parseRows, parseRunMetadataRow, type MetadataRow } from './service-records.ts';

/** The facts a status needs from a run's metadata. */
export interface RunMetadata {
  /** From the `end_step` row of the `_parameters` task; `null` when there is none yet. */
  endStep: string | null;
  /** Id of the `_parameters` task, `null` before it has written metadata. */
  parametersTaskId: string | null;
  /** Metadata rows by step name, then by task id; only tasks that wrote rows are here. */
  tasks: Map<string, Map<string, MetadataRow[]>>;
}

/**
 * Fetches and groups a run's metadata, and remembers the end step and `_parameters` task it
 * names, since a run's graph never changes. An unknown run has no rows.
 */
export async function fetchRunMetadata(context: ServiceContext, flow: string, runId: string): Promise<RunMetadata> {
  const json = await context.client.getList(`${runPath(flow, runId)}/metadata`);
  const rows = parseRows(json, `metadata of run ${flow}/${runId}`, parseRunMetadataRow);

  const tasks = new Map<string, Map<string, MetadataRow[]>>();
  for (const { step, taskId, ...row } of rows) {
    const byTask = tasks.get(step) ?? new Map<string, MetadataRow[]>();
    tasks.set(step, byTask);
    byTask.set(taskId, [...(byTask.get(taskId) ?? []), row]);
  }

  const [parametersTaskId = null] = tasks.get('_parameters')?.keys() ?? [];
  const endStep = parametersTaskId === null ? null : (tasks.get('_parameters')?.get(parametersTaskId)?.find((row) => row.field === 'end_step')?.value ?? null);
  const key = `${flow}/${runId}`;
  if (parametersTaskId !== null) {
    context.parametersTasks.set(key, parametersTaskId);
  }
  if (endStep !== null && endStep !== '') {
    context.endSteps.set(key, endStep);
  }
  return { endStep: endStep === '' ? null : endStep, parametersTaskId, tasks };
}
