import type { SelectedRun } from '../machines/thread-events.ts';
import type { TaskInfo } from '../metaflow/reader.ts';
import { findClosestMatches } from '../text/closest-match.ts';
import { formatCount } from '../text/format-count.ts';
import { inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage, type BotMessage } from './bot-message.ts';
import { runName } from './describe-request.ts';
import { listStepsInOrder } from './list-steps-in-order.ts';
import type { LookupContext } from './lookup-context.ts';

/** Tasks listed when a step has several and the user must pick one. */
const maxTasksListed = 30;

/** The task a user named, or the reply that explains why there is none. */
export type TaskChoice = { task: TaskInfo } | { reply: BotMessage };

/**
 * Finds the task in `<step>` or `<step>/<task id>`. A step with one task needs no task id; a
 * step with several (a foreach) gets a list of its tasks and how to name one.
 */
export async function findTask(
  context: LookupContext,
  run: SelectedRun,
  step: string,
  taskId: string | null,
  usage: (taskPath: string) => string,
): Promise<TaskChoice> {
  const steps = (await listStepsInOrder(context, run)).map((info) => info.name);
  if (!steps.includes(step)) {
    return { reply: textMessage(unknownStepText(run, step, steps)) };
  }

  if (taskId !== null) {
    return { task: await context.reader.getTask(run.flow, run.runId, step, taskId) };
  }

  const tasks = await context.reader.listTasks(run.flow, run.runId, step);
  if (tasks.length === 1 && tasks[0]) {
    return { task: tasks[0] };
  }
  if (tasks.length === 0) {
    return { reply: textMessage(`Step ${inlineCode(step)} of ${runName(run)} has no tasks yet.`) };
  }
  return { reply: listTasksReply(run, step, tasks, usage) };
}

/**
 * Builds the sentence for a step name the run does not have, with the closest names. It lists
 * `steps` in the order given, so pass them in the order they ran (`listStepsInOrder`).
 */
export function unknownStepText(run: SelectedRun, step: string, steps: string[]): string {
  const suggestions = findClosestMatches(step, steps);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((name) => inlineCode(name)).join(' or ')}?` : '';
  const known = steps.length > 0 ? ` Its steps: ${steps.map((name) => inlineCode(name)).join(' ')}.` : '';
  return `${runName(run)} has no step ${inlineCode(step)}.${hint}${known}`;
}

function listTasksReply(
  run: SelectedRun,
  step: string,
  tasks: TaskInfo[],
  usage: (taskPath: string) => string,
): BotMessage {
  const ordered = [...tasks].sort((a, b) => (a.foreachIndex ?? 0) - (b.foreachIndex ?? 0) || Number(a.id) - Number(b.id));
  const lines = describeTaskLines(step, ordered);
  const exampleTask = ordered.find((task) => taskState(task) === 'failed') ?? ordered[0];
  const example = exampleTask ? usage(`${step}/${exampleTask.id}`) : '';

  return new MessageBuilder()
    .section(`Step ${inlineCode(step)} of ${runName(run)} has ${formatCount(tasks.length, 'task')}; name one:\n${lines.join('\n')}`)
    .context(`For example ${inlineCode(example)}.`)
    .build();
}

/**
 * Describes each task that did not succeed on a line of its own and, when many succeeded, sums
 * those up in one line, because in a large foreach the tasks worth a look are the few that failed.
 */
function describeTaskLines(step: string, ordered: TaskInfo[]): string[] {
  const describe = (task: TaskInfo): string => {
    const index = task.foreachIndex === null ? '' : ` (foreach index ${task.foreachIndex})`;
    return `• ${inlineCode(`${step}/${task.id}`)}${index}: ${taskState(task)}`;
  };
  const succeeded = ordered.filter((task) => taskState(task) === 'succeeded');
  if (succeeded.length <= maxTasksListed / 3) {
    return withMore(ordered.map(describe));
  }

  const others = ordered.filter((task) => taskState(task) !== 'succeeded');
  const first = succeeded[0];
  const last = succeeded[succeeded.length - 1];
  const range = first && last ? ` (${inlineCode(`${step}/${first.id}`)} … ${inlineCode(`${step}/${last.id}`)})` : '';
  return [...withMore(others.map(describe)), `• ${formatCount(succeeded.length, 'task')} succeeded${range}`];
}

function withMore(lines: string[]): string[] {
  if (lines.length <= maxTasksListed) {
    return lines;
  }
  return [...lines.slice(0, maxTasksListed), `…and ${lines.length - maxTasksListed} more.`];
}

/** Describes a task's state in a word or two. */
export function taskState(task: TaskInfo): string {
  if (task.finished) {
    return task.successful ? 'succeeded' : 'finished with a handled error';
  }
  return task.finishedAt !== null ? 'failed' : 'not finished';
}
