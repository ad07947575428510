/**
 * Decides a run's state from what the metadata service records. The function is pure, so the
 * rules can be tested apart from HTTP.
 */
import type { RunInfo, RunStatus, TaskInfo } from '../reader.ts';
import type { AttemptState } from './task-attempts.ts';
import { judgeRun } from '../judge-run.ts';

/** A task of a step that may still be running, with the state of its newest attempt. */
export interface FrontierTask {
  info: TaskInfo;
  state: AttemptState;
}

/** Inputs of `computeServiceRunStatus`. */
export interface ServiceStatusInput {
  run: RunInfo;
  /** Epoch ms of the run's last heartbeat, `null` when the service has none. */
  runHeartbeatAt: number | null;
  /** Started steps (without `_parameters`) with their task counts when known. */
  steps: readonly { name: string; taskCount: number | null }[];
  /** Steps that no later step follows yet: the only ones whose tasks may still run or fail. */
  frontier: readonly string[];
  frontierTasks: readonly FrontierTask[];
  /**
   * Failed tasks of steps outside the frontier. Inside a foreach, the next step of one split
   * starts while other splits still run, so a step with a started successor can still fail.
   */
  closedStepFailures: readonly TaskInfo[];
  /** Steps in the DAG, when the graph is known. */
  dagStepCount: number | null;
  /** A run silent for longer than this is stale, in milliseconds. */
  staleAfterMs: number;
  now: number;
}

/** A run's status before the exceptions are read: `RunStatus` with the failing tasks in place of `failures`. */
export type ServiceStatus = Omit<RunStatus, 'run' | 'failures'> & {
  failedTasks: TaskInfo[];
};

/**
 * Computes a run's status:
 *
 * - a finished run (end task `_task_ok`) succeeded when its end task succeeded, else failed;
 * - an unfinished run failed as soon as a task's newest attempt failed with no newer attempt
 *   started, which the service's own `status` reports only after its 6-minute cutoff;
 * - otherwise the run is stale when its last heartbeat (run or task) is older than
 *   `staleAfterMs`, and running when it is newer. A killed run stops beating, so it turns stale.
 */
export function computeServiceRunStatus(input: ServiceStatusInput): ServiceStatus {
  const { run, frontierTasks } = input;
  const failed = [...frontierTasks.filter((task) => task.state === 'failed').map((task) => task.info), ...input.closedStepFailures];
  const lastActivityAt = Math.max(run.createdAt, input.runHeartbeatAt ?? 0, ...frontierTasks.map((task) => task.info.lastActivityAt));
  const { state, durationMs } = judgeRun(run, failed.length > 0, lastActivityAt, input);

  const frontierDone = input.frontier.filter((step) => isFrontierStepDone(step, run, frontierTasks)).length;
  const knownTasks = input.steps.reduce((total, step) => total + (input.frontier.includes(step.name) ? 0 : (step.taskCount ?? 1)), 0);
  return {
    state,
    lastActivityAt,
    stepsDone: run.finished ? input.steps.length : input.steps.length - input.frontier.length + frontierDone,
    stepsTotal: input.dagStepCount ?? input.steps.length,
    tasksRunning: run.finished ? 0 : frontierTasks.filter((task) => task.state === 'running').length,
    tasksFailed: failed.length,
    tasksTotal: knownTasks + frontierTasks.length,
    failedTasks: state === 'failed' ? [...failed].sort((left, right) => right.createdAt - left.createdAt) : [],
    durationMs,
  };
}

/** A frontier step is done only as the end step of a finished run; other frontier steps wait for a successor. */
function isFrontierStepDone(step: string, run: RunInfo, tasks: readonly FrontierTask[]): boolean {
  const own = tasks.filter((task) => task.info.step === step);
  return step === run.endStep && own.length > 0 && own.every((task) => task.state === 'done');
}
