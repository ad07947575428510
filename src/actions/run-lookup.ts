import type { LookupRequest } from '../machines/thread-events.ts';
import { MetaflowError } from '../metaflow/errors.ts';
import { escapeSlackText } from '../text/slack-escape.ts';
import { slackLimits, textMessage } from './bot-message.ts';
import { exportRunTasks, exportRuns } from './export-runs.ts';
import { howToInspect } from './how-to-inspect.ts';
import { listFlows } from './list-flows.ts';
import type { LookupContext, LookupResult } from './lookup-context.ts';
import { listProfiles, useProfile } from './profile-lookups.ts';
import { resolveRun } from './resolve-run.ts';
import { listArtifacts, showArtifact } from './run-artifacts.ts';
import { listLogs, showLogTail } from './run-logs.ts';
import { showParameters } from './run-parameters.ts';
import { showFinishedRunStatus, showRunStatus } from './run-status.ts';
import { readRunOverview, renderRunSummary } from './run-summary.ts';

/**
 * Answers a lookup. A name that does not exist or breaks Metaflow's naming rules is the
 * user's mistake: it gets the reader's sentence and leaves the thread as it was. Any other
 * error is thrown, and the host reports the lookup as failed.
 */
export async function runLookup(request: LookupRequest, context: LookupContext): Promise<LookupResult> {
  try {
    const result = answerInItsState(request, await dispatch(request, context));
    return request.kind === 'profiles' || request.kind === 'useProfile' ? result : nameSource(result, context);
  } catch (error) {
    if (error instanceof MetaflowError && (error.code === 'not_found' || error.code === 'invalid_name')) {
      context.logger.info('lookup rejected a name', { request: request.kind, code: error.code, message: error.message });
      const reply = textMessage(escapeSlackText(error.message));
      return request.kind === 'resolveRun'
        ? { reply, event: { type: 'lookup.noMatch' } }
        : { reply, event: { type: 'lookup.answered', runFinished: null } };
    }
    throw error;
  }
}

/**
 * Only run resolution ends with `lookup.noMatch`; another lookup that found nothing (an export
 * naming an unknown flow, say) has answered, and the thread goes back to where it was.
 */
function answerInItsState(request: LookupRequest, result: LookupResult): LookupResult {
  if (request.kind !== 'resolveRun' && result.event.type === 'lookup.noMatch') {
    return { ...result, event: { type: 'lookup.answered', runFinished: null } };
  }
  return result;
}

/**
 * Adds the profile to a reply that does not name it yet, when the bot serves more than one:
 * a reader of the thread must know which deployment the data came from.
 */
function nameSource(result: LookupResult, context: LookupContext): LookupResult {
  const label = context.sourceLabel;
  if (!label) {
    return result;
  }
  const mentioned = result.reply.blocks.some((block) => JSON.stringify(block).includes(`(${label})`));
  if (mentioned || result.reply.blocks.length >= slackLimits.blocksPerMessage) {
    return result;
  }
  const note = { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: `From ${escapeSlackText(label)}.` }] };
  return { ...result, reply: { ...result.reply, blocks: [...result.reply.blocks, note] } };
}

async function dispatch(request: LookupRequest, context: LookupContext): Promise<LookupResult> {
  switch (request.kind) {
    case 'resolveRun':
      return resolveRun(context, request.runspec);
    case 'runSummary': {
      const { status, parameters } = await readRunOverview(context, request.run.flow, request.run.runId);
      return { reply: renderRunSummary(status, parameters, context), event: { type: 'lookup.answered', runFinished: status.run.finished } };
    }
    case 'howToInspect':
      return howToInspect(context);
    case 'status':
      return showRunStatus(context, request.run);
    case 'finishedStatus':
      return showFinishedRunStatus(context, request.run);
    case 'params':
      return showParameters(context, request.run);
    case 'artifactList':
      return listArtifacts(context, request.run);
    case 'artifactValue':
      return showArtifact(context, request.run, request.target);
    case 'logIndex':
      return listLogs(context, request.run);
    case 'logTail':
      return showLogTail(context, request.run, request.target, request.stream);
    case 'flows':
      return listFlows(context);
    case 'exportRuns':
      return exportRuns(context, request.format, request.runspec);
    case 'exportRunTasks':
      return exportRunTasks(context, request.format, request.run);
    case 'profiles':
      return listProfiles(context);
    case 'useProfile':
      return useProfile(context, request.profile, request.listFlows);
    default:
      return request satisfies never;
  }
}
