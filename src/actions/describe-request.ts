import type { LookupRequest, SelectedRun } from '../machines/thread-events.ts';
import { formatRunspec } from '../machines/runspec.ts';
import { inlineCode } from '../text/slack-escape.ts';

/** Names a lookup in a few words of mrkdwn, for "still working on …" and "could not finish …". */
export function describeRequest(request: LookupRequest): string {
  switch (request.kind) {
    case 'resolveRun':
      return `the run ${inlineCode(formatRunspec(request.runspec))}`;
    case 'runSummary':
      return `the summary of ${runName(request.run)}`;
    case 'howToInspect':
      return 'examples of runs to inspect';
    case 'status':
    case 'finishedStatus':
      return `the status of ${runName(request.run)}`;
    case 'params':
      return `the parameters of ${runName(request.run)}`;
    case 'artifactList':
      return `the artifacts of ${runName(request.run)}`;
    case 'artifactValue':
      return `the artifact ${inlineCode(request.target)} of ${runName(request.run)}`;
    case 'logIndex':
      return `the logs of ${runName(request.run)}`;
    case 'logTail':
      return `the ${request.stream} of ${inlineCode(request.target)} in ${runName(request.run)}`;
    case 'flows':
      return 'the list of flows';
    case 'exportRuns':
      return `the ${request.format.toUpperCase()} export of ${inlineCode(formatRunspec(request.runspec))}`;
    case 'exportRunTasks':
      return `the ${request.format.toUpperCase()} export of the tasks of ${runName(request.run)}`;
    case 'profiles':
      return 'the list of Metaflow profiles';
    case 'useProfile':
      return `the Metaflow profile ${inlineCode(request.profile)}`;
    default:
      return request satisfies never;
  }
}

/** A run's pathspec as inline code. */
export function runName(run: Pick<SelectedRun, 'flow' | 'runId'>): string {
  return inlineCode(`${run.flow}/${run.runId}`);
}
