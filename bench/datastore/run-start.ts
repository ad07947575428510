import { writeRunSelf, writeStepSelf, type RunContext } from './run-records.ts';
import { parameterTaskArtifacts, type RunArtifacts } from './task-artifacts.ts';
import { writeParametersTask } from './task-writer.ts';

/**
 * Writes what Metaflow writes when a run starts, before its first step: the run's `_self.json`
 * and the `_parameters` step with its task. `startAt` is the run's start in epoch milliseconds.
 */
export function writeRunStart(run: RunContext, startAt: number, shared: RunArtifacts): void {
  writeRunSelf(run, startAt + 1);
  writeStepSelf(run, '_parameters', startAt + 2);
  writeParametersTask(run, { allocatedAt: startAt + 2, artifacts: parameterTaskArtifacts(shared), startStep: 'start', endStep: 'end' });
}
