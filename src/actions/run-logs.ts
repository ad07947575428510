import type { SelectedRun } from '../machines/thread-events.ts';
import type { LogStream, LogTail, TaskInfo } from '../metaflow/reader.ts';
import { formatBytes } from '../text/format-bytes.ts';
import { formatCount } from '../text/format-count.ts';
import { codeBlock, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { runName } from './describe-request.ts';
import { listStepsInOrder } from './list-steps-in-order.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { findTask, taskState } from './task-target.ts';

/** Lines of a log shown in the thread; a longer log also comes whole as a file. */
const tailLines = 40;

/** `logs`: the run's steps with their tasks, and how to ask for a log. */
export async function listLogs(context: LookupContext, run: SelectedRun): Promise<LookupResult> {
  const steps = await listStepsInOrder(context, run);
  if (steps.length === 0) {
    return answered(textMessage(`${runName(run)} has no steps yet.`));
  }

  const lines = await Promise.all(
    steps.map(async (step) => {
      const tasks = await context.reader.listTasks(run.flow, run.runId, step.name);
      return `• ${inlineCode(step.name)}: ${describeTasks(tasks)}`;
    }),
  );
  const first = steps[0]?.name ?? 'start';

  return answered(
    new MessageBuilder()
      .section(`*Steps of ${runName(run)}*\n${lines.join('\n')}`)
      .context(`\`logs ${first}\` shows the end of a step's stdout; \`logs ${first} stderr\` its stderr; \`logs &lt;step&gt;/&lt;task id&gt;\` picks a task.`)
      .build(),
  );
}

/** `logs <step>[/<task id>] [stderr]`: the end of a task's log, the whole log as a file when longer. */
export async function showLogTail(
  context: LookupContext,
  run: SelectedRun,
  target: string,
  stream: LogStream,
): Promise<LookupResult> {
  const parts = target.split('/');
  if (parts.length > 2) {
    return answered(textMessage(`${inlineCode(target)} has too many parts: say \`logs &lt;step&gt;\` or \`logs &lt;step&gt;/&lt;task id&gt;\`.`));
  }
  const suffix = stream === 'stderr' ? ' stderr' : '';
  const choice = await findTask(context, run, parts[0] ?? '', parts[1] ?? null, (path) => `logs ${path}${suffix}`);
  if ('reply' in choice) {
    return answered(choice.reply);
  }

  const task = choice.task;
  const tail = await context.reader.readLog(task.flow, task.runId, task.step, task.id, stream, { tailLines });
  if (tail.totalLines === 0) {
    return answered(textMessage(emptyLogText(task, stream)));
  }
  return answered(await renderTail(context, task, tail));
}

async function renderTail(context: LookupContext, task: TaskInfo, tail: LogTail): Promise<ReturnType<MessageBuilder['build']>> {
  const shown = tail.lines.map((line) => line.text).join('\n');
  const heading = `*${tail.stream} of ${inlineCode(task.pathspec)}*, attempt ${tail.attempt}`;
  const builder = new MessageBuilder().section(`${heading}\n${codeBlock(shown)}`);

  const lines = formatCount(tail.totalLines, 'line');
  const total = tail.totalLinesExact === false ? `at least ${lines}` : lines;
  const notes = [`${tail.lines.length} of ${total}, ${formatBytes(tail.sizeBytes)} in all.`];
  if (tail.truncatedByMetaflow) {
    notes.push('Metaflow cut this log at its size limit.');
  }
  if (tail.totalLines > tail.lines.length) {
    const whole = await context.reader.readLog(task.flow, task.runId, task.step, task.id, tail.stream);
    builder.attach({
      filename: `${task.step}-${task.id}-${tail.stream}.log`,
      title: `${tail.stream} of ${task.pathspec}, attempt ${tail.attempt}`,
      content: whole.lines.map((line) => line.text).join('\n'),
      filetype: 'text',
    });
    notes.push('The whole log is attached.');
  }
  return builder.context(notes.join(' ')).build();
}

function emptyLogText(task: TaskInfo, stream: LogStream): string {
  const unfinished = !task.finished && task.finishedAt === null
    ? ' The task has not ended: Metaflow writes local logs when a task ends, and a task that was killed has none.'
    : '';
  return `Task ${inlineCode(task.pathspec)} wrote nothing to ${stream}.${unfinished}`;
}

function describeTasks(tasks: TaskInfo[]): string {
  if (tasks.length === 1 && tasks[0]) {
    return `task ${inlineCode(tasks[0].id)}, ${taskState(tasks[0])}`;
  }
  const failed = tasks.filter((task) => taskState(task) === 'failed').length;
  return `${formatCount(tasks.length, 'task')}${failed > 0 ? `, ${failed} failed` : ''}`;
}
