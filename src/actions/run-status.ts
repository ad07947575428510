import type { SelectedRun } from '../machines/thread-events.ts';
import type { FailedTask, RunStatus } from '../metaflow/reader.ts';
import { formatCount } from '../text/format-count.ts';
import { formatDuration, formatTimestamp } from '../text/format-time.ts';
import { codeBlock, escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder } from './bot-message.ts';
import { describeOwner, describeState, stateEmoji, timingSentence } from './describe-status.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { sourceNote } from './run-summary.ts';

/** Lines of a traceback shown for a failed task; the end of a traceback names the error. */
const tracebackLines = 12;
/** Lines of stderr shown for a failed task. */
const stderrLines = 10;
/** Lines read from the end of stderr to find what the task printed before its traceback. */
const stderrSearchLines = 200;
/** Failed tasks described in full; others are only counted. */
const failuresShown = 2;

/** `status`: the run's state, progress and duration, and for a failure where and why. */
export async function showRunStatus(context: LookupContext, run: SelectedRun): Promise<LookupResult> {
  const status = await readStatus(context, run);
  const builder = new MessageBuilder()
    .section(
      `${stateEmoji(status)} *${inlineCode(status.run.pathspec)}*${describeOwner(status.run)}: ${describeState(status)}\n` +
        `${describeProgress(status)}\n${timingSentence(status)}`,
    )
    .summary(`${status.run.pathspec}: ${describeState(status)}`);

  await addFailures(context, builder, status);
  builder.context(`Looked up ${formatTimestamp(context.now())}${sourceNote(context)}.`);
  return answered(builder.build(), status.run.finished);
}

/** `status` on a run that had finished when it was set: when and how it ended. */
export async function showFinishedRunStatus(context: LookupContext, run: SelectedRun): Promise<LookupResult> {
  const status = await readStatus(context, run);
  if (!status.run.finished) {
    return showRunStatus(context, run);
  }
  const ended = status.run.finishedAt === null ? 'at an unrecorded time' : `at ${formatTimestamp(status.run.finishedAt)}`;
  const builder = new MessageBuilder().section(
    `${stateEmoji(status)} *${inlineCode(status.run.pathspec)}* finished already: it ${describeState(status)} ` +
      `${ended}, after ${formatDuration(status.durationMs)}. ${describeProgress(status)}`,
  );
  await addFailures(context, builder, status);
  return answered(builder.build(), true);
}

function readStatus(context: LookupContext, run: SelectedRun): Promise<RunStatus> {
  return context.reader.getRunStatus(run.flow, run.runId, { staleAfterMs: context.staleAfterMs, now: context.now() });
}

function describeProgress(status: RunStatus): string {
  const parts = [`${status.stepsDone} of ${formatCount(status.stepsTotal, 'step')} done`, formatCount(status.tasksTotal, 'task')];
  if (status.tasksRunning > 0) {
    // In a run with no recent activity, an unfinished task is not known to be running.
    parts.push(`${status.tasksRunning} ${status.state === 'stale' ? 'unfinished' : 'running'}`);
  }
  if (status.tasksFailed > 0) {
    parts.push(`${status.tasksFailed} failed`);
  }
  return `${parts.join(', ')}.`;
}

async function addFailures(context: LookupContext, builder: MessageBuilder, status: RunStatus): Promise<void> {
  for (const failure of status.failures.slice(0, failuresShown)) {
    builder.section(await describeFailure(context, failure));
  }
  const more = status.failures.length - failuresShown;
  if (more > 0) {
    builder.context(
      `${formatCount(more, 'more failed task')} ${more === 1 ? 'is' : 'are'} not shown; \`logs &lt;step&gt;\` lists a step's tasks.`,
    );
  }
}

async function describeFailure(context: LookupContext, failure: FailedTask): Promise<string> {
  const task = failure.task;
  const attempt = task.currentAttempt > 0 ? `, attempt ${task.currentAttempt}` : '';
  const parts = [`*Failed in step ${inlineCode(task.step)}*, task ${inlineCode(task.pathspec)}${attempt}:`];
  if (failure.exception) {
    parts.push(codeBlock(lastLines(failure.exception.trimEnd(), tracebackLines)));
  } else if (failure.exceptionProblem !== undefined) {
    parts.push(`_Its exception could not be read:_ ${escapeSlackText(failure.exceptionProblem)}`);
  } else {
    parts.push('_No exception was stored for this task._');
  }

  const stderr = await readStderrTail(context, failure);
  if (stderr) {
    parts.push(`Last lines of stderr before the traceback:\n${codeBlock(stderr)}`);
  }
  return parts.join('\n');
}

/**
 * The last stderr lines the task printed before its traceback. Metaflow writes the traceback
 * to stderr as well, and the exception above shows it already.
 */
async function readStderrTail(context: LookupContext, failure: FailedTask): Promise<string | null> {
  const task = failure.task;
  try {
    const log = await context.reader.readLog(task.flow, task.runId, task.step, task.id, 'stderr', { tailLines: stderrSearchLines });
    const texts = log.lines.map((line) => line.text);
    const tracebackStart = texts.findIndex((text) => text.startsWith('Traceback (most recent call last):'));
    const printed = (tracebackStart === -1 ? texts : texts.slice(0, tracebackStart)).filter((text) => text !== 'Task failed.');
    return printed.length > 0 ? printed.slice(-stderrLines).join('\n') : null;
  } catch (error) {
    context.logger.warn('stderr of a failed task could not be read', { task: task.pathspec, error });
    return null;
  }
}

function lastLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length <= count ? text : ['…', ...lines.slice(-count)].join('\n');
}
