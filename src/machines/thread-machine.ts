import { assign, emit, raise, setup } from 'xstate';
import {
  busyReply,
  choiceOutOfRangeReply,
  chosenRunRequest,
  fallbackReply,
  forgottenReply,
  helpReply,
  unknownHelpTopicReply,
  invalidInputReply,
  listedCandidates,
  lookupLostReply,
  needRunReply,
  runAfterAnswer,
  runLookupRequests,
  runResolutionRequest,
  profileRequest,
  runsExportRequest,
  selectedProfile,
  selectedRun,
} from './thread-actions.ts';
import { createInitialContext, type ThreadContext } from './thread-context.ts';
import { commandEventTypes, userEventTypes, type LookupRequest, type ReplyRequest, type ThreadEmitted, type ThreadEvent } from './thread-events.ts';
import {
  hasCandidates,
  hasRunSet,
  hasRunspec,
  hasTarget,
  isChoiceInList,
  isGreeting,
  isInspectHelp,
  isRunExport,
  isRunKnownFinished,
  isUnknownHelpTopic,
} from './thread-guards.ts';

/** Emits a reply that needs no data; the host renders it. */
function reply(build: (args: { context: ThreadContext; event: ThreadEvent }) => ReplyRequest) {
  return emit<ThreadContext, ThreadEvent, undefined, ThreadEvent, ThreadEmitted>((args) => ({
    type: 'reply',
    reply: build(args),
  }));
}

/** Stores a lookup for the host to run; the machine waits for its result event. */
function request(build: (args: { context: ThreadContext; event: ThreadEvent }) => LookupRequest) {
  return assign<ThreadContext, ThreadEvent, undefined, ThreadEvent, never>({ pending: (args) => build(args) });
}

/**
 * Repeats one transition for several event types. Each type gets its own entry (no wildcard), so
 * that xstate/graph can send each one and the diagram names it.
 */
function transitionsFor<const TTypes extends readonly string[], TTransition>(
  types: TTypes,
  transition: TTransition,
): Record<TTypes[number], TTransition> {
  return Object.fromEntries(types.map((type) => [type, transition])) as Record<TTypes[number], TTransition>;
}

/**
 * The rulebook of one Slack thread. States follow the conversation: a thread is `new` until its
 * first message, then `ready` with no run set or a run set, and `resolvingRun` or `lookingUp`
 * while the host reads Metaflow. Lookups run outside the machine: the host reads
 * `context.pending`, answers in the thread and sends a `lookup.*` event back, so the machine has
 * no invoked actors and `xstate/graph` can walk it.
 */
export const threadMachine = setup({
  types: {
    context: {} as ThreadContext,
    events: {} as ThreadEvent,
    emitted: {} as ThreadEmitted,
  },
  guards: {
    isGreeting,
    isInspectHelp,
    isUnknownHelpTopic,
    hasRunspec,
    isRunExport,
    hasTarget,
    isChoiceInList,
    hasCandidates,
    isRunKnownFinished,
    hasRunSet,
  },
  actions: {
    replyIntro: reply(() => ({ kind: 'intro' })),
    replyHelp: reply(helpReply),
    replyUnknownHelpTopic: reply(unknownHelpTopicReply),
    replyNeedRun: reply(needRunReply),
    replyVersion: reply(() => ({ kind: 'version' })),
    replyFallbackHelp: reply(fallbackReply),
    replyInvalidInput: reply(invalidInputReply),
    replyChoiceOutOfRange: reply(choiceOutOfRangeReply),
    replyBusy: reply(busyReply),
    replyLookupLost: reply(lookupLostReply),
    replyForgotten: reply(forgottenReply),
    replayEvent: raise<ThreadContext, ThreadEvent, ThreadEvent, undefined>(({ event }) => event),
    requestHowToInspect: request(() => ({ kind: 'howToInspect' })),
    requestFlows: request(() => ({ kind: 'flows' })),
    requestProfiles: request(() => ({ kind: 'profiles' })),
    requestProfileSwitch: request(profileRequest),
    requestRunResolution: request(runResolutionRequest),
    requestChosenRun: request(chosenRunRequest),
    requestRunsExport: request(runsExportRequest),
    requestRunSummary: request(runLookupRequests.runSummary),
    requestStatus: request(runLookupRequests.status),
    requestFinishedStatus: request(runLookupRequests.finishedStatus),
    requestParams: request(runLookupRequests.params),
    requestArtifactList: request(runLookupRequests.artifactList),
    requestArtifactValue: request(runLookupRequests.artifactValue),
    requestLogIndex: request(runLookupRequests.logIndex),
    requestLogTail: request(runLookupRequests.logTail),
    requestFlowExport: request(runLookupRequests.flowExport),
    requestRunTasksExport: request(runLookupRequests.runTasksExport),
    selectRun: assign({ run: selectedRun, candidates: [], pending: null }),
    storeCandidates: assign({ candidates: listedCandidates, pending: null }),
    finishLookup: assign({ run: runAfterAnswer, pending: null }),
    dropLookup: assign({ pending: null }),
    forgetRun: assign({ run: null, candidates: [] }),
    selectProfile: assign({ profile: selectedProfile, run: null, candidates: [], pending: null }),
  },
}).createMachine({
  id: 'thread',
  context: createInitialContext,
  initial: 'new',
  states: {
    new: {
      on: {
        'user.help': [
          { guard: 'isInspectHelp', target: 'lookingUp', actions: 'requestHowToInspect' },
          { guard: 'isUnknownHelpTopic', target: 'ready.noRunSet', actions: 'replyUnknownHelpTopic' },
          { target: 'ready.noRunSet', actions: 'replyHelp' },
        ],
        'user.unknown': [
          { guard: 'isGreeting', target: 'ready.noRunSet', actions: 'replyIntro' },
          { target: 'ready.noRunSet', actions: ['replyIntro', 'replayEvent'] },
        ],
        // Any other first message gets the introduction, then the reply it would get later.
        ...transitionsFor(['user.invalid', ...commandEventTypes] as const, {
          target: 'ready.noRunSet',
          actions: ['replyIntro', 'replayEvent'],
        } as const),
      },
    },
    ready: {
      initial: 'noRunSet',
      on: {
        'user.help': [
          { guard: 'isInspectHelp', target: 'lookingUp', actions: 'requestHowToInspect' },
          { guard: 'isUnknownHelpTopic', actions: 'replyUnknownHelpTopic' },
          { actions: 'replyHelp' },
        ],
        'user.choose': [
          { guard: 'isChoiceInList', target: 'resolvingRun', actions: 'requestChosenRun' },
          { guard: 'hasCandidates', actions: 'replyChoiceOutOfRange' },
          { actions: 'replyFallbackHelp' },
        ],
        'user.flows': { target: 'lookingUp', actions: 'requestFlows' },
        'user.profiles': { target: 'lookingUp', actions: 'requestProfiles' },
        'user.useProfile': { target: 'lookingUp', actions: 'requestProfileSwitch' },
        'user.forget': { target: '.noRunSet', actions: ['replyForgotten', 'forgetRun'] },
        'user.version': { actions: 'replyVersion' },
        'user.invalid': { actions: 'replyInvalidInput' },
        'user.unknown': { actions: 'replyFallbackHelp' },
      },
      states: {
        noRunSet: {
          on: {
            'user.inspect': [
              { guard: 'hasRunspec', target: '#thread.resolvingRun', actions: 'requestRunResolution' },
              { target: '#thread.lookingUp', actions: 'requestHowToInspect' },
            ],
            'user.export': [
              { guard: 'isRunExport', actions: 'replyNeedRun' },
              { guard: 'hasRunspec', target: '#thread.lookingUp', actions: 'requestRunsExport' },
              { actions: 'replyNeedRun' },
            ],
            'user.status': { actions: 'replyNeedRun' },
            'user.params': { actions: 'replyNeedRun' },
            'user.data': { actions: 'replyNeedRun' },
            'user.logs': { actions: 'replyNeedRun' },
          },
        },
        runSet: {
          on: {
            'user.inspect': [
              { guard: 'hasRunspec', target: '#thread.resolvingRun', actions: 'requestRunResolution' },
              { target: '#thread.lookingUp', actions: 'requestRunSummary' },
            ],
            'user.export': [
              { guard: 'isRunExport', target: '#thread.lookingUp', actions: 'requestRunTasksExport' },
              { guard: 'hasRunspec', target: '#thread.lookingUp', actions: 'requestRunsExport' },
              { target: '#thread.lookingUp', actions: 'requestFlowExport' },
            ],
            'user.status': [
              { guard: 'isRunKnownFinished', target: '#thread.lookingUp', actions: 'requestFinishedStatus' },
              { target: '#thread.lookingUp', actions: 'requestStatus' },
            ],
            'user.params': { target: '#thread.lookingUp', actions: 'requestParams' },
            'user.data': [
              { guard: 'hasTarget', target: '#thread.lookingUp', actions: 'requestArtifactValue' },
              { target: '#thread.lookingUp', actions: 'requestArtifactList' },
            ],
            'user.logs': [
              { guard: 'hasTarget', target: '#thread.lookingUp', actions: 'requestLogTail' },
              { target: '#thread.lookingUp', actions: 'requestLogIndex' },
            ],
          },
        },
      },
    },
    resolvingRun: {
      on: {
        'lookup.runSelected': { target: 'ready.runSet', actions: 'selectRun' },
        'lookup.candidatesFound': [
          { guard: 'hasRunSet', target: 'ready.runSet', actions: 'storeCandidates' },
          { target: 'ready.noRunSet', actions: 'storeCandidates' },
        ],
        'lookup.noMatch': [
          { guard: 'hasRunSet', target: 'ready.runSet', actions: 'dropLookup' },
          { target: 'ready.noRunSet', actions: 'dropLookup' },
        ],
        'lookup.failed': [
          { guard: 'hasRunSet', target: 'ready.runSet', actions: ['replyLookupLost', 'dropLookup'] },
          { target: 'ready.noRunSet', actions: ['replyLookupLost', 'dropLookup'] },
        ],
        ...transitionsFor(userEventTypes, { actions: 'replyBusy' } as const),
      },
    },
    lookingUp: {
      on: {
        'lookup.profileSelected': { target: 'ready.noRunSet', actions: 'selectProfile' },
        'lookup.answered': [
          { guard: 'hasRunSet', target: 'ready.runSet', actions: 'finishLookup' },
          { target: 'ready.noRunSet', actions: 'finishLookup' },
        ],
        'lookup.failed': [
          { guard: 'hasRunSet', target: 'ready.runSet', actions: ['replyLookupLost', 'dropLookup'] },
          { target: 'ready.noRunSet', actions: ['replyLookupLost', 'dropLookup'] },
        ],
        ...transitionsFor(userEventTypes, { actions: 'replyBusy' } as const),
      },
    },
  },
});

export type ThreadMachine = typeof threadMachine;
