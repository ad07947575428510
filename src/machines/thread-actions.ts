import { assertEvent } from 'xstate';
import type { ThreadContext } from './thread-context.ts';
import { maxCandidates } from './thread-context.ts';
import type { LookupRequest, ReplyRequest, RunCommand, SelectedRun, ThreadEvent } from './thread-events.ts';

/**
 * Pure functions behind the machine's named actions: what a transition stores and which reply
 * it asks for. The machine wires them with `assign` and `emit`; nothing here waits or reads.
 */
interface ActionArgs {
  context: ThreadContext;
  event: ThreadEvent;
}

export function helpReply({ event }: ActionArgs): ReplyRequest {
  assertEvent(event, 'user.help');
  return { kind: 'help', topic: event.topic };
}

export function unknownHelpTopicReply({ event }: ActionArgs): ReplyRequest {
  assertEvent(event, 'user.help');
  if (!event.unknownTopic) {
    throw new Error('unknownHelpTopicReply needs an unknown topic; the isUnknownHelpTopic guard checks it first');
  }
  return { kind: 'unknownHelpTopic', word: event.unknownTopic.word, suggestions: event.unknownTopic.suggestions };
}

export function needRunReply({ event }: ActionArgs): ReplyRequest {
  const commands: Partial<Record<ThreadEvent['type'], RunCommand>> = {
    'user.status': 'status',
    'user.params': 'params',
    'user.data': 'data',
    'user.logs': 'logs',
    'user.export': 'export',
  };
  return { kind: 'needRun', command: commands[event.type] ?? 'status' };
}

export function fallbackReply({ event }: ActionArgs): ReplyRequest {
  if (event.type === 'user.unknown') {
    return { kind: 'fallback', text: event.text, suggestion: event.suggestion };
  }
  if (event.type === 'user.choose') {
    return { kind: 'fallback', text: String(event.index), suggestion: 'inspect' };
  }
  return { kind: 'fallback', text: '', suggestion: null };
}

export function invalidInputReply({ event }: ActionArgs): ReplyRequest {
  assertEvent(event, 'user.invalid');
  return { kind: 'invalidInput', text: event.text, problem: event.problem };
}

export function choiceOutOfRangeReply({ context, event }: ActionArgs): ReplyRequest {
  assertEvent(event, 'user.choose');
  return { kind: 'choiceOutOfRange', index: event.index, count: context.candidates.length };
}

export function busyReply({ context }: ActionArgs): ReplyRequest {
  return { kind: 'busy', pending: context.pending ?? { kind: 'howToInspect' } };
}

export function lookupLostReply({ context, event }: ActionArgs): ReplyRequest {
  assertEvent(event, 'lookup.failed');
  return {
    kind: 'lookupLost',
    request: context.pending ?? { kind: 'howToInspect' },
    reason: event.reason,
    detail: event.detail,
  };
}

export function forgottenReply({ context }: ActionArgs): ReplyRequest {
  return context.run ? { kind: 'forgotten', run: context.run } : { kind: 'nothingToForget' };
}

export function runResolutionRequest({ event }: ActionArgs): LookupRequest {
  assertEvent(event, 'user.inspect');
  if (!event.runspec) {
    throw new Error('runResolutionRequest needs a runspec; the hasRunspec guard checks it first');
  }
  return { kind: 'resolveRun', runspec: event.runspec };
}

export function chosenRunRequest({ context, event }: ActionArgs): LookupRequest {
  assertEvent(event, 'user.choose');
  const candidate = context.candidates[event.index - 1];
  if (!candidate) {
    throw new Error('chosenRunRequest needs a listed index; the isChoiceInList guard checks it first');
  }
  return { kind: 'resolveRun', runspec: { kind: 'pathspec', flow: candidate.flow, runId: candidate.runId } };
}

/** Builders for the lookups about the run the thread has set, one per named action. */
export const runLookupRequests = {
  runSummary: ({ context }: ActionArgs): LookupRequest => ({ kind: 'runSummary', run: requireRun(context) }),
  status: ({ context }: ActionArgs): LookupRequest => ({ kind: 'status', run: requireRun(context) }),
  finishedStatus: ({ context }: ActionArgs): LookupRequest => ({ kind: 'finishedStatus', run: requireRun(context) }),
  params: ({ context }: ActionArgs): LookupRequest => ({ kind: 'params', run: requireRun(context) }),
  artifactList: ({ context }: ActionArgs): LookupRequest => ({ kind: 'artifactList', run: requireRun(context) }),
  artifactValue: ({ context, event }: ActionArgs): LookupRequest => {
    assertEvent(event, 'user.data');
    return { kind: 'artifactValue', run: requireRun(context), target: event.target ?? '' };
  },
  logIndex: ({ context }: ActionArgs): LookupRequest => ({ kind: 'logIndex', run: requireRun(context) }),
  logTail: ({ context, event }: ActionArgs): LookupRequest => {
    assertEvent(event, 'user.logs');
    return { kind: 'logTail', run: requireRun(context), target: event.target ?? '', stream: event.stream };
  },
  flowExport: ({ context, event }: ActionArgs): LookupRequest => {
    assertEvent(event, 'user.export');
    const run = requireRun(context);
    return { kind: 'exportRuns', format: event.format, runspec: { kind: 'runs', flow: run.flow, user: null, tags: [] } };
  },
  runTasksExport: ({ context, event }: ActionArgs): LookupRequest => {
    assertEvent(event, 'user.export');
    return { kind: 'exportRunTasks', format: event.format, run: requireRun(context) };
  },
};

export function runsExportRequest({ event }: ActionArgs): LookupRequest {
  assertEvent(event, 'user.export');
  if (!event.runspec) {
    throw new Error('runsExportRequest needs a runspec; the hasRunspec guard checks it first');
  }
  return { kind: 'exportRuns', format: event.format, runspec: event.runspec };
}

export function profileRequest({ event }: ActionArgs): LookupRequest {
  assertEvent(event, 'user.useProfile');
  return { kind: 'useProfile', profile: event.profile, listFlows: event.listFlows };
}

export function selectedProfile({ event }: ActionArgs): string {
  assertEvent(event, 'lookup.profileSelected');
  return event.profile;
}

export function selectedRun({ event }: ActionArgs): SelectedRun {
  assertEvent(event, 'lookup.runSelected');
  return event.run;
}

export function listedCandidates({ event }: ActionArgs): ThreadContext['candidates'] {
  assertEvent(event, 'lookup.candidatesFound');
  return event.candidates.slice(0, maxCandidates);
}

/** The run after an answer: a lookup that saw the run finish records it. */
export function runAfterAnswer({ context, event }: ActionArgs): SelectedRun | null {
  assertEvent(event, 'lookup.answered');
  if (!context.run || event.runFinished === null) {
    return context.run;
  }
  return { ...context.run, finished: event.runFinished };
}

function requireRun(context: ThreadContext): SelectedRun {
  if (!context.run) {
    throw new Error('This lookup needs a run; the machine only asks for it in the runSet state');
  }
  return context.run;
}
