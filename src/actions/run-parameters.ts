import type { SelectedRun } from '../machines/thread-events.ts';
import { codeBlock, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder } from './bot-message.ts';
import { runName } from './describe-request.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { sourceNote } from './run-summary.ts';

/** Characters of one parameter value shown before it is cut. */
const maxValueLength = 500;

/** `params`: each parameter of the run with its value as Python shows it. */
export async function showParameters(context: LookupContext, run: SelectedRun): Promise<LookupResult> {
  const parameters = await context.reader.getParameters(run.flow, run.runId);
  if (parameters.length === 0) {
    return answered(new MessageBuilder().section(`${runName(run)} has no parameters.`).build());
  }

  const width = Math.max(...parameters.map((parameter) => parameter.name.length));
  const lines = parameters.map((parameter) => {
    const value = parameter.repr.length > maxValueLength ? `${parameter.repr.slice(0, maxValueLength)}…` : parameter.repr;
    return `${parameter.name.padEnd(width)} = ${value}`;
  });
  const types = parameters.map((parameter) => `${inlineCode(parameter.name)}: ${parameter.type}`).join(', ');

  return answered(
    new MessageBuilder()
      .section(`*Parameters of ${runName(run)}*${sourceNote(context)}\n${codeBlock(lines.join('\n'))}`)
      .context(`Types: ${types}`)
      .build(),
  );
}
