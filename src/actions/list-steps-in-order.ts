import type { SelectedRun } from '../machines/thread-events.ts';
import type { StepInfo } from '../metaflow/reader.ts';
import type { LookupContext } from './lookup-context.ts';

/**
 * Lists the run's steps oldest first, in the order they started, because replies name them in
 * the order of the flow. `MetaflowReader.listSteps` returns them newest first.
 */
export async function listStepsInOrder(context: LookupContext, run: SelectedRun): Promise<StepInfo[]> {
  const steps = await context.reader.listSteps(run.flow, run.runId);
  return [...steps].sort((a, b) => a.createdAt - b.createdAt);
}
