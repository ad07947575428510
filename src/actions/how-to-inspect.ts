import { inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder } from './bot-message.ts';
import { inspectFormsText } from './help-text.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';

/** Runs read to find a tag for the examples. */
const runsSearchedForTags = 20;

/** `how to inspect`: the runspec forms, with examples built from real runs. */
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

/**
 * Examples from the flow with the most runs (up to `runsSearchedForTags` counted), since its
 * runs show the most forms: users, tags, a numbered list.
 */
async function buildExamples(context: LookupContext): Promise<string[]> {
  const flows = await context.reader.listFlows();
  const runLists = await Promise.all(flows.map((flow) => context.reader.listRuns(flow.name, { limit: runsSearchedForTags })));
  const runs = runLists
    .filter((list) => list.length > 0)
    .sort((a, b) => b.length - a.length || (b[0]?.createdAt ?? 0) - (a[0]?.createdAt ?? 0))[0];
  const newest = runs?.[0];
  if (!runs || !newest) {
    return [];
  }

  const examples = [`inspect ${newest.pathspec}`, `inspect ${newest.flow}`, `inspect the latest run of ${newest.flow}`];
  if (newest.user) {
    examples.push(`inspect ${newest.user}'s latest run of ${newest.flow}`);
  }
  const tag = runs.flatMap((run) => run.userTags).find((candidate) => /^[\w:.-]+$/.test(candidate));
  if (tag) {
    examples.push(`inspect ${newest.flow} tagged ${tag}`);
  }
  return examples;
}
