/**
 * `ManyRunsFlow`: a linear flow (`start → train → end`, three parameters) with a long history
 * of runs, for listing the newest runs. Every run succeeds, which is the most expensive case
 * for listing, because the reader then opens the end task of each listed run.
 */
import path from 'node:path';
import type { PyValue } from '../../src/metaflow/pickle/index.ts';
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

/** Name of the flow with many runs. */
export const manyRunsFlowName = 'ManyRunsFlow';

const shape: FlowShape = {
  name: manyRunsFlowName,
  file: 'manyrunsflow.py',
  doc: 'Linear training flow with a long run history (benchmark data).',
  parameters: ['learning_rate', 'epochs', 'label'],
  steps: [
    { name: 'start', type: 'start', line: 22, doc: 'Record who launched the run.', next: ['train'] },
    { name: 'train', type: 'linear', line: 28, doc: 'Pretend to train a model.', next: ['end'] },
    { name: 'end', type: 'end', line: 40, doc: 'Summarize.', next: [] },
  ],
  graphStructure: ['start', 'train', 'end'],
};

const users = ['alice', 'bob', 'carol', 'dave'];
const learningRates = [0.1, 0.05, 0.01, 0.005];
const labels = ['baseline', 'wider', 'deeper', 'dropout'];
/** The first run starts at 2026-01-05T08:00:00Z, and a run starts about every 15 minutes. */
const firstRunAt = Date.UTC(2026, 0, 5, 8);
const runSpacingMs = 15 * 60 * 1000;

/** The choices that make one run differ from another. */
interface RunPlan {
  learningRate: number;
  epochs: number;
  label: string;
  /** Loss after each epoch. */
  history: number[];
}

/** Writes `ManyRunsFlow` with `runCount` runs, oldest first. */
export function writeManyRunsFlow(target: GenerationTarget, runCount: number): void {
  const random = new SeededRandom(20_260_105);
  const blobs = new BlobStore(path.join(target.datastore, manyRunsFlowName));
  const graphInfo = graphInfoValue(shape);

  let latestRunId = '';
  for (let index = 0; index < runCount; index += 1) {
    const startAt = firstRunAt + index * runSpacingMs + random.integer(0, 60_000);
    const run: RunContext = {
      ...target,
      flow: manyRunsFlowName,
      runId: String(startAt * 1000 + random.integer(0, 999)),
      user: users[index % users.length] as string,
      tags: index % 10 === 0 ? ['nightly'] : [],
      scriptName: shape.file,
      blobs,
      random,
    };
    writeRun(run, planRun(random), startAt, graphInfo);
    latestRunId = run.runId;
  }
  writeFlowRecords(target.datastore, manyRunsFlowName, firstRunAt, latestRunId);
}

function planRun(random: SeededRandom): RunPlan {
  const learningRate = random.pick(learningRates);
  const epochs = random.integer(5, 20);
  const history = Array.from({ length: epochs }, (_, epoch) => 0.9 * (1 - learningRate) ** epoch);
  return { learningRate, epochs, label: random.pick(labels), history };
}

function writeRun(run: RunContext, plan: RunPlan, startAt: number, graphInfo: PyValue): void {
  const shared: RunArtifacts = {
    flowName: pyStr(manyRunsFlowName),
    parameters: [
      ['learning_rate', pyFloat(plan.learningRate)],
      ['epochs', pyInt(plan.epochs)],
      ['label', pyStr(plan.label)],
    ],
    graphInfo,
  };
  writeRunStart(run, startAt, shared);

  const clock = new TaskClock(startAt + 5, run.random);
  const summary = `learning_rate=${plan.learningRate} epochs=${plan.epochs} label='${plan.label}'`;
  const launchedBy: [string, PyValue][] = [['launched_by', pyStr(run.user)]];
  const trained: [string, PyValue][] = [
    ['history', pyList(plan.history.map(pyFloat))],
    ['final_loss', pyFloat(plan.history.at(-1) ?? 0)],
  ];

  const start = clock.next(2.5);
  writeStepSelf(run, 'start', Math.floor(start.allocatedAt));
  const startArtifacts = taskArtifacts(shared, { transition: transitionValue([pyStr('train')]), currentStep: pyStr('start'), created: launchedBy });
  writeTask(run, { step: 'start', taskId: '1', ...start, artifacts: startArtifacts, stdout: spreadLines([`${manyRunsFlowName} starting: ${summary}`], start.startedAt + 1, start.startedAt + 1), stderr: [] });

  const train = clock.next(plan.epochs * 0.4);
  const lossLines = plan.history.map((loss, epoch) => `epoch ${epoch + 1}/${plan.epochs} loss ${loss.toFixed(6)}`);
  writeStepSelf(run, 'train', Math.floor(train.allocatedAt));
  const trainArtifacts = taskArtifacts(shared, { transition: transitionValue([pyStr('end')]), currentStep: pyStr('train'), inherited: launchedBy, created: trained });
  writeTask(run, { step: 'train', taskId: '2', ...train, artifacts: trainArtifacts, stdout: spreadLines(lossLines, train.startedAt + 0.5, train.finishedAt - 0.2), stderr: [] });

  const end = clock.next(1.8);
  writeStepSelf(run, 'end', Math.floor(end.allocatedAt));
  const endArtifacts = taskArtifacts(shared, { transition: pyNone, currentStep: pyStr('end'), inherited: [...launchedBy, ...trained] });
  const doneLine = `done: ${summary} final_loss=${(plan.history.at(-1) ?? 0).toFixed(6)}`;
  writeTask(run, { step: 'end', taskId: '3', ...end, artifacts: endArtifacts, stdout: spreadLines([doneLine], end.startedAt + 1, end.startedAt + 1), stderr: [] });
}
