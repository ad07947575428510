import { inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder } from './bot-message.ts';
import { inspectFormsText } from './help-text.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';

/** Runs read to find a tag for the examples. */
const runsSearchedForTags = 20;

/** `how to inspect`: the runspec forms, with examples built from the newest real run. */
export async function howToInspect(context: LookupContext): Promise<LookupResult> {
  const builder = new MessageBuilder().section(inspectFormsText());
  const examples = await buildExamples(context);
  if (examples.length > 0) {
    builder.section(`*Examples from this datastore*\n${examples.map((example) => `• ${inlineCode(example)}`).join('\n')}`);
  } else {
    builder.context('There are no runs to show examples from yet.');
  }
  return answered(builder.build());
}

async function buildExamples(context: LookupContext): Promise<string[]> {
  const flows = await context.reader.listFlows();
  const latestRuns = await Promise.all(flows.map((flow) => context.reader.latestRun(flow.name)));
  const newest = latestRuns
    .filter((run) => run !== null)
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (!newest) {
    return [];
  }

  const examples = [`inspect ${newest.pathspec}`, `inspect ${newest.flow}`, `inspect the latest run of ${newest.flow}`];
  if (newest.user) {
    examples.push(`inspect ${newest.user}'s latest run of ${newest.flow}`);
  }
  const runs = await context.reader.listRuns(newest.flow, { limit: runsSearchedForTags });
  const tag = runs.flatMap((run) => run.userTags).find((candidate) => /^[\w:.-]+$/.test(candidate));
  if (tag) {
    examples.push(`inspect ${newest.flow} tagged ${tag}`);
  }
  return examples;
}
