import { formatTimestamp } from '../text/format-time.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { describeState } from './describe-status.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { sourceNote } from './run-summary.ts';

/** `flows`: every flow with its latest run and that run's status. */
export async function listFlows(context: LookupContext): Promise<LookupResult> {
  const flows = await context.reader.listFlows();
  if (flows.length === 0) {
    return answered(textMessage(`There are no flows in ${escapeSlackText(context.reader.description)}${sourceNote(context)}.`));
  }

  const lines = await Promise.all(
    [...flows].sort((a, b) => a.name.localeCompare(b.name)).map(async (flow) => {
      const run = await context.reader.latestRun(flow.name);
      if (!run) {
        return `• ${inlineCode(flow.name)}: no runs`;
      }
      const status = await context.reader.getRunStatus(flow.name, run.id, { staleAfterMs: context.staleAfterMs, now: context.now() });
      const user = run.user ? ` by ${escapeSlackText(run.user)}` : '';
      return `• ${inlineCode(flow.name)}: latest ${inlineCode(run.pathspec)}${user}, started ${formatTimestamp(run.createdAt)}: ${describeState(status)}`;
    }),
  );

  return answered(
    new MessageBuilder()
      .section(`*Flows*${sourceNote(context)}\n${lines.join('\n')}`)
      .context('`inspect &lt;Flow&gt;` lists its runs; `inspect the latest run of &lt;Flow&gt;` sets the newest.')
      .build(),
  );
}
