/**
 * `WideForeachFlow`: runs of `start → shard (foreach) → join → end` whose foreach has one task
 * per shard, for reading the status of a run with very many tasks. The runtime runs 16 tasks at
 * a time (Metaflow's default `--max-workers`), as a real run would. One run has finished. The
 * other is still in its foreach, with its last 16 tasks running, so its status reads every task.
 */
import path from 'node:path';
import type { PyValue } from '../../src/metaflow/pickle/index.ts';
import { BlobStore } from './blob-store.ts';
import { graphInfoValue, type FlowShape } from './flow-shape.ts';
import { spreadLines } from './mflog-lines.ts';
import { pyDict, pyFloat, pyInstance, pyInt, pyList, pyNone, pyStr } from './py-values.ts';
import { writeFlowRecords, writeStepSelf, type GenerationTarget, type RunContext } from './run-records.ts';
import { SeededRandom } from './seeded-random.ts';
import { writeRunStart } from './run-start.ts';
import { taskArtifacts, transitionValue, type RunArtifacts } from './task-artifacts.ts';
import { TaskClock, type TaskTimes } from './task-clock.ts';
import { writeTask } from './task-writer.ts';

/** Name of the flow with the wide foreach. */
export const wideForeachFlowName = 'WideForeachFlow';

/** The finished run's id: its start, 2026-02-02T09:00:00Z, in epoch microseconds. */
export const wideForeachRunId = String(Date.UTC(2026, 1, 2, 9) * 1000 + 417);

/** The unfinished run's id: its start, 2026-02-03T09:00:00Z, in epoch microseconds. */
export const wideForeachRunningRunId = String(Date.UTC(2026, 1, 3, 9) * 1000 + 211);

const shape: FlowShape = {
  name: wideForeachFlowName,
  file: 'wideforeachflow.py',
  doc: 'Foreach fan-out over many shards (benchmark data).',
  parameters: ['width'],
  steps: [
    { name: 'start', type: 'split-foreach', line: 18, doc: '', next: ['shard'], foreach: { artifact: 'shards', matchingJoin: 'join' } },
    { name: 'shard', type: 'linear', line: 24, doc: '', next: ['join'] },
    { name: 'join', type: 'join', line: 33, doc: '', next: ['end'] },
    { name: 'end', type: 'end', line: 40, doc: '', next: [] },
  ],
  graphStructure: ['start', [['shard']], 'join', 'end'],
};

/** Metaflow's default `--max-workers`. */
const maxWorkers = 16;
/** Length of the foreach values' reprs in `_foreach_values`, which Metaflow cuts short (30 in the fixture). */
const foreachValueLength = 30;

/** Writes `WideForeachFlow` with a finished and an unfinished run whose foreach has `width` tasks. */
export function writeWideForeachFlow(target: GenerationTarget, width: number): void {
  writeWideForeachRun(target, width, wideForeachRunId, false);
  writeWideForeachRun(target, width, wideForeachRunningRunId, true);
  writeFlowRecords(target.datastore, wideForeachFlowName, Math.floor(Number(wideForeachRunId) / 1000), wideForeachRunningRunId);
}

function writeWideForeachRun(target: GenerationTarget, width: number, runId: string, unfinished: boolean): void {
  const random = new SeededRandom(unfinished ? 20_260_203 : 20_260_202);
  const startAt = Math.floor(Number(runId) / 1000);
  const run: RunContext = {
    ...target,
    flow: wideForeachFlowName,
    runId,
    user: 'alice',
    tags: ['fanout'],
    scriptName: shape.file,
    blobs: new BlobStore(path.join(target.datastore, wideForeachFlowName)),
    random,
  };
  const shared: RunArtifacts = { flowName: pyStr(wideForeachFlowName), parameters: [['width', pyInt(width)]], graphInfo: graphInfoValue(shape) };

  writeRunStart(run, startAt, shared);

  const split = writeSplit(run, shared, width, new TaskClock(startAt + 5, random));
  writeStepSelf(run, 'shard', Math.floor(split.startAt + 40));
  const scores = writeShards(run, shared, split, unfinished ? maxWorkers : 0);
  if (!unfinished) {
    writeJoinAndEnd(run, shared, scores, new TaskClock(scores.lastFinishedAt, random));
  }
}

/** Writes the `start` task, which splits into one foreach task per shard. */
function writeSplit(run: RunContext, shared: RunArtifacts, width: number, clock: TaskClock): ShardInputs {
  const shardNames = Array.from({ length: width }, (_, index) => `shard-${String(index).padStart(5, '0')}`);
  const cutValues = shardNames.map((name, index) => `{'name': '${name}', 'shard': ${index}}`.slice(0, foreachValueLength));
  const foreachValues = pyList(cutValues.map(pyStr));
  const shards = pyList(shardNames.map((name, index) => pyDict({ shard: pyInt(index), name: pyStr(name) })));

  const start = clock.next(40);
  writeStepSelf(run, 'start', Math.floor(start.allocatedAt));
  writeTask(run, {
    step: 'start',
    taskId: '1',
    ...start,
    artifacts: taskArtifacts(shared, {
      transition: transitionValue([pyStr('shard')], pyStr('shards')),
      currentStep: pyStr('start'),
      foreachSplit: { variable: pyStr('shards'), splits: pyInt(width) },
      foreachValues,
      created: [['shards', shards]],
    }),
    stdout: spreadLines([`fanning out to ${width} shards`], start.finishedAt - 1, start.finishedAt - 1),
    stderr: [],
  });
  return { shards, foreachValues, cutValues, startAt: start.finishedAt };
}

interface ShardInputs {
  shards: PyValue;
  foreachValues: PyValue;
  cutValues: readonly string[];
  /** When the split finished. */
  startAt: number;
}

interface ShardScores {
  scores: number[];
  lastFinishedAt: number;
}

/** Writes the foreach tasks (ids 2 to width + 1), `maxWorkers` at a time; the last `running` have not ended. */
function writeShards(run: RunContext, shared: RunArtifacts, inputs: ShardInputs, running: number): ShardScores {
  const width = inputs.cutValues.length;
  const scores: number[] = [];
  const slotFreeAt = Array.from({ length: maxWorkers }, (_, slot) => inputs.startAt + 40 + slot * 2);
  let lastFinishedAt = inputs.startAt;

  for (let index = 0; index < width; index += 1) {
    const slot = index % maxWorkers;
    const times = shardTimes(slotFreeAt[slot] as number, run.random);
    slotFreeAt[slot] = times.finishedAt + 15;
    lastFinishedAt = Math.max(lastFinishedAt, times.finishedAt);
    const score = Math.round(((index * 0.41) % 1) * 100) / 100;
    scores.push(score);

    const frame = pyInstance('__main__', 'ForeachFrame', [pyStr('shard'), pyStr('shards'), pyInt(width), pyInt(index), pyStr(inputs.cutValues[index] as string)]);
    writeTask(run, {
      step: 'shard',
      taskId: String(index + 2),
      ...times,
      artifacts: taskArtifacts(shared, {
        transition: transitionValue([pyStr('join')]),
        currentStep: pyStr('shard'),
        foreachStack: pyList([frame]),
        foreachValues: inputs.foreachValues,
        inherited: [['shards', inputs.shards]],
        created: [['shard_id', pyInt(index)], ['score', pyFloat(score)]],
      }),
      stdout: spreadLines([`shard ${index} of ${width}: score=${score}`], times.finishedAt - 1, times.finishedAt - 1),
      stderr: [],
      foreach: { stack: [`shards=${inputs.cutValues[index]}`], executionPath: `shard:${index}` },
      running: index >= width - running,
    });
  }
  return { scores, lastFinishedAt };
}

function shardTimes(freeAt: number, random: SeededRandom): TaskTimes {
  const allocatedAt = freeAt + random.next() * 3;
  const startedAt = allocatedAt + 250 + random.next() * 80;
  return { allocatedAt, startedAt, finishedAt: startedAt + 200 + random.next() * 20 };
}

function writeJoinAndEnd(run: RunContext, shared: RunArtifacts, shards: ShardScores, clock: TaskClock): void {
  const width = shards.scores.length;
  const best = shards.scores.indexOf(Math.max(...shards.scores));
  const results: [string, PyValue][] = [
    ['scores', pyList(shards.scores.map(pyFloat))],
    ['best_shard', pyInt(best)],
  ];

  const join = clock.next(60);
  writeStepSelf(run, 'join', Math.floor(join.allocatedAt));
  writeTask(run, {
    step: 'join',
    taskId: String(width + 2),
    ...join,
    artifacts: taskArtifacts(shared, { transition: transitionValue([pyStr('end')]), currentStep: pyStr('join'), created: results }),
    stdout: spreadLines([`best shard ${best} of ${width}`], join.finishedAt - 1, join.finishedAt - 1),
    stderr: [],
  });

  const end = clock.next(2);
  writeStepSelf(run, 'end', Math.floor(end.allocatedAt));
  writeTask(run, {
    step: 'end',
    taskId: String(width + 3),
    ...end,
    artifacts: taskArtifacts(shared, { transition: pyNone, currentStep: pyStr('end'), inherited: results }),
    stdout: spreadLines(['done'], end.startedAt + 1, end.startedAt + 1),
    stderr: [],
  });
}
