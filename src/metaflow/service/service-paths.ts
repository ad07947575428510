/** URL paths of the metadata service's read routes, each name percent-encoded. */
const part = encodeURIComponent;

/** `/flows/{flow}` */
export function flowPath(flow: string): string {
  return `/flows/${part(flow)}`;
}

/** `/flows/{flow}/runs/{run}` */
export function runPath(flow: string, runId: string): string {
  return `${flowPath(flow)}/runs/${part(runId)}`;
}

/** `/flows/{flow}/runs/{run}/steps/{step}` */
export function stepPath(flow: string, runId: string, step: string): string {
  return `${runPath(flow, runId)}/steps/${part(step)}`;
}

/** `/flows/{flow}/runs/{run}/steps/{step}/tasks/{task}` */
export function taskPath(flow: string, runId: string, step: string, taskId: string): string {
  return `${stepPath(flow, runId, step)}/tasks/${part(taskId)}`;
}
