import type { SelectedRun } from '../machines/thread-events.ts';
import { MetaflowError } from '../metaflow/errors.ts';
import type { TaskInfo } from '../metaflow/reader.ts';
import { findClosestMatches } from '../text/closest-match.ts';
import { formatBytes } from '../text/format-bytes.ts';
import { codeBlock, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { runName } from './describe-request.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { findTask } from './task-target.ts';

/** Characters of a value shown in the thread; a longer value also comes as a file. */
const maxShownLength = 2_500;
/** Characters of a value written to the attached file. */
const maxFileLength = 1_000_000;
/** Artifacts listed in the thread. */
const maxListed = 40;

/** `data`: the artifacts of the run's end task (or its newest step), and how to show one. */
export async function listArtifacts(context: LookupContext, run: SelectedRun): Promise<LookupResult> {
  const source = await findDataTask(context, run);
  if (!source) {
    return answered(textMessage(`${runName(run)} has no task with artifacts yet.`));
  }

  const origin = source.step === (await endStepName(context, run))
    ? `the end task ${inlineCode(source.pathspec)}`
    : `task ${inlineCode(source.pathspec)}, the newest step with artifacts (the run has no finished end task)`;
  return renderArtifactList(context, source, origin);
}

/** `data <step>` (when no artifact has that name) or `data <step>/`: the artifacts of the step's task. */
async function listStepArtifacts(context: LookupContext, run: SelectedRun, step: string): Promise<LookupResult> {
  const choice = await findTask(context, run, step, null, (path) => `data ${path}/`);
  if ('reply' in choice) {
    return answered(choice.reply);
  }
  return renderArtifactList(context, choice.task, `task ${inlineCode(choice.task.pathspec)}`);
}

async function renderArtifactList(context: LookupContext, task: TaskInfo, origin: string): Promise<LookupResult> {
  const artifacts = await context.reader.listArtifacts(task.flow, task.runId, task.step, task.id);
  const lines = artifacts.slice(0, maxListed).map((artifact) =>
    `${artifact.name.padEnd(24)} ${artifact.type.padEnd(18)} ${formatBytes(artifact.size)}`,
  );
  const more = artifacts.length > maxListed ? `\n…and ${artifacts.length - maxListed} more.` : '';
  return answered(
    new MessageBuilder()
      .section(`*Artifacts of ${origin}*\n${codeBlock(lines.join('\n') || '(none)')}${more}`)
      .context('`data &lt;name&gt;` shows a value; `data &lt;step&gt;/&lt;name&gt;` or `data &lt;step&gt;/&lt;task id&gt;/&lt;name&gt;` picks another task.')
      .build(),
  );
}

/** `data <name>`, `data <step>/<name>`, `data <step>/<task id>/<name>`: one value. */
export async function showArtifact(context: LookupContext, run: SelectedRun, target: string): Promise<LookupResult> {
  const parts = target.split('/');
  const name = parts.at(-1) ?? '';
  let task: TaskInfo | null;

  if (parts.length === 1) {
    task = await findDataTask(context, run);
    if (!task) {
      return answered(textMessage(`${runName(run)} has no task with artifacts yet.`));
    }
    if (await namesStepNotArtifact(context, run, task, name)) {
      return listStepArtifacts(context, run, name);
    }
  } else if (parts.length <= 3 && name === '') {
    // `data start/` or `data start/4/`: the artifacts of that task.
    const choice = await findTask(context, run, parts[0] ?? '', parts.length === 3 ? (parts[1] ?? '') : null, (path) => `data ${path}/`);
    return 'reply' in choice ? answered(choice.reply) : renderArtifactList(context, choice.task, `task ${inlineCode(choice.task.pathspec)}`);
  } else if (parts.length <= 3) {
    const choice = await findTask(context, run, parts[0] ?? '', parts.length === 3 ? (parts[1] ?? '') : null, (path) => `data ${path}/${name}`);
    if ('reply' in choice) {
      return answered(choice.reply);
    }
    task = choice.task;
  } else {
    return answered(textMessage(`${inlineCode(target)} has too many parts: say \`data &lt;name&gt;\`, \`data &lt;step&gt;/&lt;name&gt;\` or \`data &lt;step&gt;/&lt;task id&gt;/&lt;name&gt;\`.`));
  }

  return renderValue(context, task, name);
}

/** True when `name` is a step of the run and not an artifact of `task`, as in `data start`. */
async function namesStepNotArtifact(context: LookupContext, run: SelectedRun, task: TaskInfo, name: string): Promise<boolean> {
  const steps = await context.reader.listSteps(run.flow, run.runId);
  if (!steps.some((step) => step.name === name)) {
    return false;
  }
  const artifacts = await context.reader.listArtifacts(task.flow, task.runId, task.step, task.id);
  return !artifacts.some((artifact) => artifact.name === name);
}

async function renderValue(context: LookupContext, task: TaskInfo, name: string): Promise<LookupResult> {
  const names = (await context.reader.listArtifacts(task.flow, task.runId, task.step, task.id)).map((info) => info.name);
  if (!names.includes(name)) {
    const suggestions = findClosestMatches(name, names);
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((entry) => inlineCode(entry)).join(' or ')}?` : '';
    return answered(textMessage(`Task ${inlineCode(task.pathspec)} has no artifact ${inlineCode(name)}.${hint} \`data\` lists them.`));
  }

  const value = await context.reader.readArtifact(task.flow, task.runId, task.step, task.id, name, { maxReprLength: maxShownLength });
  const builder = new MessageBuilder()
    .section(`*${inlineCode(name)}* of ${inlineCode(task.pathspec)} (${value.info.type}, ${formatBytes(value.info.size)} stored)\n${codeBlock(value.repr)}`)
    .summary(`${name} = ${value.repr.slice(0, 200)}`);

  if (value.truncated) {
    const full = await context.reader.readArtifact(task.flow, task.runId, task.step, task.id, name, { maxReprLength: maxFileLength });
    const fileNote = full.truncated ? ` The file holds the first ${maxFileLength.toLocaleString('en-US')}.` : '';
    builder
      .context(`Showing ${maxShownLength.toLocaleString('en-US')} of ${value.reprLength.toLocaleString('en-US')} characters; the whole value is attached.${fileNote}`)
      .attach({ filename: `${task.step}-${task.id}-${name}.txt`, title: `${task.pathspec}: ${name}`, content: full.repr, filetype: 'text' });
  }
  if (!value.decoded) {
    builder.context('This is an object of a class the bot does not decode, so only its class and stored size are shown.');
  }
  return answered(builder.build());
}

/**
 * The task whose artifacts stand for the run, as the client's `Run.data` does: the end task.
 * Without one, the newest step's first task that recorded artifacts.
 */
async function findDataTask(context: LookupContext, run: SelectedRun): Promise<TaskInfo | null> {
  const steps = await context.reader.listSteps(run.flow, run.runId);
  const endStep = await endStepName(context, run);
  const ordered = [...steps.filter((step) => step.name === endStep), ...steps.filter((step) => step.name !== endStep)];

  for (const step of ordered) {
    const tasks = await context.reader.listTasks(run.flow, run.runId, step.name);
    for (const task of tasks) {
      if (await hasArtifacts(context, task)) {
        return task;
      }
    }
  }
  return null;
}

async function hasArtifacts(context: LookupContext, task: TaskInfo): Promise<boolean> {
  try {
    const artifacts = await context.reader.listArtifacts(task.flow, task.runId, task.step, task.id);
    return artifacts.length > 0;
  } catch (error) {
    if (error instanceof MetaflowError && error.code === 'not_found') {
      return false;
    }
    throw error;
  }
}

async function endStepName(context: LookupContext, run: SelectedRun): Promise<string> {
  return (await context.reader.getRun(run.flow, run.runId)).endStep;
}
