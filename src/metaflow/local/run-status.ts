/**
 * Decides what a person can act on from a run's records: running, succeeded, failed or stale.
 * The function is pure, so the rules can be read and tested apart from the file system.
 */
import type { RunInfo, RunStatus, StatusOptions } from '../reader.ts';
import type { GraphInfo } from './graph-info.ts';
import type { StepEntry } from './step-reader.ts';
import type { TaskRecord } from './task-reader.ts';
import { judgeRun } from '../judge-run.ts';

/** A started step with its tasks. */
export interface StepTasks {
  entry: StepEntry;
  tasks: TaskRecord[];
}

/** A run's status before the exceptions are read: `RunStatus` with the failing task records in place of `failures`. */
export type ComputedStatus = Omit<RunStatus, 'run' | 'failures'> & {
  /** The tasks behind a `failed` state, newest first; empty for other states. */
  failedTasks: TaskRecord[];
};

/**
 * Computes a run's status.
 *
 * - A finished run (its end task has `_task_ok`) succeeded when the end task succeeded, and
 *   failed otherwise (a `@catch` on the end step gives finished but not successful).
 * - An unfinished run failed when a task's current attempt failed and the step allows no
 *   more attempts (`@retry`, `@catch`). A task waiting for its retry counts as running.
 * - Otherwise the run is stale when nothing in it changed for longer than `staleAfterMs`,
 *   and running when something did.
 */
export function computeRunStatus(run: RunInfo, graph: GraphInfo | null, steps: readonly StepTasks[], options: StatusOptions): ComputedStatus {
  const tasks = steps.flatMap((step) => step.tasks);
  const failedForGood = tasks.filter((task) => hasFailedForGood(task, graph));
  const lastActivityAt = tasks.reduce((latest, task) => Math.max(latest, task.info.lastActivityAt), run.createdAt);
  const { state, durationMs } = judgeRun(run, failedForGood.length > 0, lastActivityAt, options);

  return {
    state,
    lastActivityAt,
    stepsDone: steps.filter((step) => isStepDone(step, steps, graph, run.endStep)).length,
    stepsTotal: graph?.dag.steps.length ?? steps.length,
    tasksRunning: tasks.filter((task) => task.attemptState === 'running' || (task.attemptState === 'failed' && !hasFailedForGood(task, graph))).length,
    tasksFailed: failedForGood.length,
    tasksTotal: tasks.length,
    failedTasks: state === 'failed' ? findFailedTasks(run, steps, failedForGood) : [],
    durationMs,
  };
}

/**
 * Computes the status of a run whose end task succeeded from its task counts alone: every step
 * that has a task is done, no task runs or failed, and the last activity is the end task's.
 */
export function computeSucceededRunStatus(
  run: RunInfo,
  graph: GraphInfo | null,
  steps: readonly { name: string; taskCount: number }[],
  endTasks: readonly TaskRecord[],
): Omit<RunStatus, 'run' | 'failures'> {
  const lastActivityAt = endTasks.reduce((latest, task) => Math.max(latest, task.info.lastActivityAt), run.createdAt);
  return {
    state: 'succeeded',
    lastActivityAt,
    stepsDone: steps.filter((step) => step.taskCount > 0).length,
    stepsTotal: graph?.dag.steps.length ?? steps.length,
    tasksRunning: 0,
    tasksFailed: 0,
    tasksTotal: steps.reduce((total, step) => total + step.taskCount, 0),
    durationMs: Math.max(0, (run.finishedAt ?? lastActivityAt) - run.createdAt),
  };
}

/** True when the current attempt failed and the scheduler will not start another one. */
function hasFailedForGood(task: TaskRecord, graph: GraphInfo | null): boolean {
  if (task.attemptState !== 'failed') {
    return false;
  }
  const maxAttempts = graph?.maxAttempts.get(task.info.step) ?? 1;
  return task.info.currentAttempt + 1 >= maxAttempts;
}

/**
 * Returns whether a step is done: all its tasks finished, and it is the end step or a step
 * after it in the DAG started. Waiting for the next step keeps a foreach from
 * counting as done while some of its tasks are not yet scheduled.
 *
 * NOTE: a step inside a foreach that is followed by another step of the same foreach can count
 * as done while tasks of later splits are not yet scheduled.
 */
function isStepDone(step: StepTasks, steps: readonly StepTasks[], graph: GraphInfo | null, endStep: string): boolean {
  if (step.tasks.length === 0 || !step.tasks.every((task) => task.info.finished)) {
    return false;
  }
  if (step.entry.name === endStep || graph === null) {
    return true;
  }
  const next = graph.dag.steps.find((candidate) => candidate.name === step.entry.name)?.next ?? [];
  return steps.some((other) => next.includes(other.entry.name));
}

/** Returns the tasks that failed for good, or else the end task of a finished, unsuccessful run. */
function findFailedTasks(run: RunInfo, steps: readonly StepTasks[], failedForGood: readonly TaskRecord[]): TaskRecord[] {
  if (failedForGood.length > 0) {
    return [...failedForGood].sort((left, right) => right.info.createdAt - left.info.createdAt);
  }
  const endTask = steps.find((step) => step.entry.name === run.endStep)?.tasks[0];
  return endTask ? [endTask] : [];
}
