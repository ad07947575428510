import { formatRunspec, type Runspec } from '../machines/runspec.ts';
import type { RunCandidate } from '../machines/thread-events.ts';
import { maxCandidates } from '../machines/thread-context.ts';
import { MetaflowError } from '../metaflow/errors.ts';
import type { RunInfo } from '../metaflow/reader.ts';
import { findClosestMatches } from '../text/closest-match.ts';
import { formatTimestamp } from '../text/format-time.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { describeState } from './describe-status.ts';
import type { LookupContext, LookupResult } from './lookup-context.ts';
import { readRunOverview, renderRunSummary, sourceNote } from './run-summary.ts';

/**
 * Resolves a runspec: one run is set and summarized, several become a numbered list, none
 * gets a sentence that says why and how to list what exists.
 */
export async function resolveRun(context: LookupContext, runspec: Runspec): Promise<LookupResult> {
  const flow = await resolveFlowName(context, runspec.flow);
  if (typeof flow !== 'string') {
    return flow;
  }

  switch (runspec.kind) {
    case 'pathspec':
      return selectRun(context, flow, runspec.runId);
    case 'latest': {
      const filter = { user: runspec.user ?? undefined, tags: runspec.tags };
      const run = runspec.successful
        ? await context.reader.latestSuccessfulRun(flow, filter)
        : await context.reader.latestRun(flow, filter);
      return run ? selectRun(context, flow, run.id) : noRunsFound(context, { ...runspec, flow });
    }
    case 'runs':
      return listRuns(context, { ...runspec, flow });
    default:
      return runspec satisfies never;
  }
}

/**
 * Finds the flow a user named: exactly, or ignoring case (`helloflow`). A flow that does not
 * exist gets the closest names as suggestions.
 */
export async function resolveFlowName(context: LookupContext, flow: string): Promise<string | LookupResult> {
  const flows = (await context.reader.listFlows()).map((info) => info.name);
  if (flows.includes(flow)) {
    return flow;
  }
  const sameIgnoringCase = flows.find((name) => name.toLowerCase() === flow.toLowerCase());
  if (sameIgnoringCase) {
    return sameIgnoringCase;
  }

  const suggestions = findClosestMatches(flow, flows);
  const hint = suggestions.length > 0
    ? ` Did you mean ${suggestions.map((name) => inlineCode(name)).join(' or ')}?`
    : '';
  return {
    reply: textMessage(`There is no flow named ${inlineCode(flow)}${sourceNote(context)}.${hint} Say \`flows\` to list them.`),
    event: { type: 'lookup.noMatch' },
  };
}

async function selectRun(context: LookupContext, flow: string, runId: string): Promise<LookupResult> {
  try {
    const { status, parameters } = await readRunOverview(context, flow, runId);
    return {
      reply: renderRunSummary(status, parameters, context),
      event: { type: 'lookup.runSelected', run: { flow, runId, finished: status.run.finished } },
    };
  } catch (error) {
    if (error instanceof MetaflowError && error.code === 'not_found') {
      return {
        reply: textMessage(
          `There is no run ${inlineCode(`${flow}/${runId}`)}${sourceNote(context)}. ` +
            `\`inspect ${escapeSlackText(flow)}\` lists its newest runs.`,
        ),
        event: { type: 'lookup.noMatch' },
      };
    }
    throw error;
  }
}

async function listRuns(
  context: LookupContext,
  runspec: Extract<Runspec, { kind: 'runs' }>,
): Promise<LookupResult> {
  const filter = { user: runspec.user ?? undefined, tags: runspec.tags, limit: maxCandidates + 1 };
  const runs = await context.reader.listRuns(runspec.flow, filter);
  if (runs.length === 0) {
    return noRunsFound(context, runspec);
  }
  if (runs.length === 1 && runs[0]) {
    return selectRun(context, runspec.flow, runs[0].id);
  }

  const shown = runs.slice(0, maxCandidates);
  const lines = await Promise.all(shown.map((run, index) => describeCandidate(context, run, index + 1)));
  const more = runs.length > maxCandidates
    ? `These are the ${maxCandidates} newest; narrow the list with \`alice's ${escapeSlackText(runspec.flow)}\` or \`tagged &lt;tag&gt;\`.`
    : '';
  const candidates: RunCandidate[] = shown.map((run) => ({ flow: run.flow, runId: run.id }));

  return {
    reply: new MessageBuilder()
      .section(`*Runs of ${inlineCode(formatRunspec(runspec))}*${sourceNote(context)}\n${lines.join('\n')}`)
      .context(['Reply with a number to inspect that run.', more, 'Runs are looked up across all namespaces.'].filter(Boolean).join(' '))
      .build(),
    event: { type: 'lookup.candidatesFound', candidates },
  };
}

async function describeCandidate(context: LookupContext, run: RunInfo, position: number): Promise<string> {
  const status = await context.reader.getRunStatus(run.flow, run.id, {
    staleAfterMs: context.staleAfterMs,
    now: context.now(),
  });
  const user = run.user ? ` · ${escapeSlackText(run.user)}` : '';
  const tags = run.userTags.length > 0 ? ` · ${run.userTags.map((tag) => inlineCode(tag)).join(' ')}` : '';
  return `${position}. ${inlineCode(run.pathspec)}${user} · ${describeState(status)} · ${formatTimestamp(run.createdAt)}${tags}`;
}

function noRunsFound(context: LookupContext, runspec: Runspec): LookupResult {
  return {
    reply: textMessage(
      `No run matches ${inlineCode(formatRunspec(runspec))}${sourceNote(context)}, across all namespaces. ` +
        `\`inspect ${escapeSlackText(runspec.flow)}\` lists the flow's newest runs.`,
    ),
    event: { type: 'lookup.noMatch' },
  };
}
