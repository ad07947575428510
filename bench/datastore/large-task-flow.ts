/**
 * `LargeTaskFlow`: one run of `start → end` whose `start` task prints a long log and stores a
 * large list, for reading the tail of a log and showing one artifact value.
 */
import path from 'node:path';
import { BlobStore } from './blob-store.ts';
import { graphInfoValue, type FlowShape } from './flow-shape.ts';
import { spreadLines } from './mflog-lines.ts';
import { pyFloat, pyInt, pyList, pyNone, pyStr } from './py-values.ts';
import { writeFlowRecords, writeStepSelf, type GenerationTarget, type RunContext } from './run-records.ts';
import { SeededRandom } from './seeded-random.ts';
import { writeRunStart } from './run-start.ts';
import { taskArtifacts, transitionValue, type RunArtifacts } from './task-artifacts.ts';
import { TaskClock } from './task-clock.ts';
import { writeTask } from './task-writer.ts';

/** Name of the flow with the large log and the large artifact. */
export const largeTaskFlowName = 'LargeTaskFlow';

/** The run's id: its start, 2026-02-03T10:00:00Z, in epoch microseconds. */
export const largeTaskRunId = String(Date.UTC(2026, 1, 3, 10) * 1000 + 271);

/** Name of the large list artifact of the `start` task. */
export const largeArtifactName = 'predictions';

/** Sizes of the large task: lines of its stdout and items of its list artifact. */
export interface LargeTaskSizes {
  logLines: number;
  artifactItems: number;
}

const shape: FlowShape = {
  name: largeTaskFlowName,
  file: 'largetaskflow.py',
  doc: 'One task with a long log and a large artifact (benchmark data).',
  parameters: ['rows'],
  steps: [
    { name: 'start', type: 'start', line: 15, doc: 'Score every row and log progress.', next: ['end'] },
    { name: 'end', type: 'end', line: 30, doc: '', next: [] },
  ],
  graphStructure: ['start', 'end'],
};

/** Writes `LargeTaskFlow` with one run. */
export function writeLargeTaskFlow(target: GenerationTarget, sizes: LargeTaskSizes): void {
  const random = new SeededRandom(20_260_203);
  const startAt = Math.floor(Number(largeTaskRunId) / 1000);
  const run: RunContext = {
    ...target,
    flow: largeTaskFlowName,
    runId: largeTaskRunId,
    user: 'carol',
    tags: [],
    scriptName: shape.file,
    blobs: new BlobStore(path.join(target.datastore, largeTaskFlowName)),
    random,
  };
  const shared: RunArtifacts = { flowName: pyStr(largeTaskFlowName), parameters: [['rows', pyInt(sizes.artifactItems)]], graphInfo: graphInfoValue(shape) };

  writeFlowRecords(target.datastore, largeTaskFlowName, startAt, run.runId);
  writeRunStart(run, startAt, shared);

  // Scores in [0, 1) with up to 17 significant digits, as model outputs have.
  const predictions = pyList(Array.from({ length: sizes.artifactItems }, () => pyFloat(random.next())));
  const clock = new TaskClock(startAt + 5, random);

  const start = clock.next(sizes.logLines * 0.02 + 5);
  writeStepSelf(run, 'start', Math.floor(start.allocatedAt));
  writeTask(run, {
    step: 'start',
    taskId: '1',
    ...start,
    artifacts: taskArtifacts(shared, { transition: transitionValue([pyStr('end')]), currentStep: pyStr('start'), created: [[largeArtifactName, predictions]] }),
    stdout: spreadLines(progressLines(sizes), start.startedAt + 1, start.finishedAt - 1),
    stderr: spreadLines(['scoring done'], start.finishedAt - 0.5, start.finishedAt - 0.5),
  });

  const end = clock.next(2);
  writeStepSelf(run, 'end', Math.floor(end.allocatedAt));
  writeTask(run, {
    step: 'end',
    taskId: '2',
    ...end,
    artifacts: taskArtifacts(shared, { transition: pyNone, currentStep: pyStr('end'), inherited: [[largeArtifactName, predictions]] }),
    stdout: spreadLines(['done'], end.startedAt + 1, end.startedAt + 1),
    stderr: [],
  });
}

/** Builds one progress line per batch, about as long as a typical training log line. */
function progressLines(sizes: LargeTaskSizes): string[] {
  return Array.from({ length: sizes.logLines }, (_, index) => {
    const rows = Math.round(((index + 1) / sizes.logLines) * sizes.artifactItems);
    const loss = 0.69 / Math.sqrt(index + 1);
    return `batch ${index + 1}/${sizes.logLines}: scored ${rows} rows, running loss ${loss.toFixed(4)}`;
  });
}
