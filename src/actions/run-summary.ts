import { MetaflowError } from '../metaflow/errors.ts';
import type { ParameterInfo, RunStatus } from '../metaflow/reader.ts';
import { formatCount } from '../text/format-count.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, type BotMessage } from './bot-message.ts';
import { describeOwner, describeState, stateEmoji, timingSentence } from './describe-status.ts';
import type { LookupContext } from './lookup-context.ts';

/** Parameters shown inline in a summary; `params` shows them all. */
const maxSummaryParameters = 6;
/** Characters of one parameter value shown inline in a summary. */
const maxSummaryValueLength = 60;

/** A run's parameters, or the sentence that explains why they could not be read. */
export type SummaryParameters = ParameterInfo[] | { problem: string };

/**
 * Reads what the summary of a run shows: its status and parameters. Parameter values live in
 * the datastore, so when it cannot be reached or denies access (S3 down, wrong keys) the
 * summary still shows the status, with the reason in place of the parameters. Damaged data
 * fails the lookup, as it does everywhere.
 */
export async function readRunOverview(
  context: LookupContext,
  flow: string,
  runId: string,
): Promise<{ status: RunStatus; parameters: SummaryParameters }> {
  const [status, parameters] = await Promise.all([
    context.reader.getRunStatus(flow, runId, { staleAfterMs: context.staleAfterMs, now: context.now() }),
    context.reader.getParameters(flow, runId).catch((error: unknown): SummaryParameters => {
      if (error instanceof MetaflowError && (error.code === 'unavailable' || error.code === 'access_denied')) {
        context.logger.warn('parameters not read for a summary', { run: `${flow}/${runId}`, error: error.message });
        return { problem: escapeSlackText(error.message) };
      }
      throw error;
    }),
  ]);
  return { status, parameters };
}

/** The inspect summary: who ran it, its state, timing, tags and parameters, and what to ask next. */
export function renderRunSummary(status: RunStatus, parameters: SummaryParameters, context: LookupContext): BotMessage {
  const run = status.run;
  const headline = `${stateEmoji(status)} *${inlineCode(run.pathspec)}*${describeOwner(run)}: ${describeState(status)}`;
  const details = [
    `${timingSentence(status)} ${status.stepsDone} of ${formatCount(status.stepsTotal, 'step')} done.`,
  ];
  if (run.userTags.length > 0) {
    details.push(`Tags: ${run.userTags.map((tag) => inlineCode(tag)).join(' ')}`);
  }
  if ('problem' in parameters) {
    details.push(`Parameters: not read. ${parameters.problem}`);
  } else if (parameters.length > 0) {
    details.push(`Parameters: ${summarizeParameters(parameters)}`);
  }

  return new MessageBuilder()
    .section(`${headline}\n${details.join('\n')}`)
    .summary(`${run.pathspec}: ${describeState(status)}`)
    .context(
      `This thread now inspects ${inlineCode(run.pathspec)}${sourceNote(context)}. ` +
        'Ask `status`, `params`, `data` or `logs`. Runs are looked up across all namespaces.',
    )
    .build();
}

/** ` (profile finance)`, when the bot reads more than one source. */
export function sourceNote(context: LookupContext): string {
  return context.sourceLabel ? ` (${context.sourceLabel})` : '';
}

function summarizeParameters(parameters: ParameterInfo[]): string {
  const shown = parameters.slice(0, maxSummaryParameters).map((parameter) => {
    const value = parameter.repr.length > maxSummaryValueLength
      ? `${parameter.repr.slice(0, maxSummaryValueLength)}…`
      : parameter.repr;
    return inlineCode(`${parameter.name}=${value}`);
  });
  const more = parameters.length - shown.length;
  return shown.join(' ') + (more > 0 ? ` and ${more} more (\`params\`)` : '');
}
