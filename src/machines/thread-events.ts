import type { LogStream } from '../metaflow/reader.ts';
import type { Runspec } from './runspec.ts';

/** A run the thread has set: enough to name it and to know whether it can still change. */
export interface SelectedRun {
  flow: string;
  runId: string;
  /** Whether the run had finished when last looked at; a finished run never changes. */
  finished: boolean;
}

/** One entry of a numbered list of runs, so that `2` can pick it. */
export interface RunCandidate {
  flow: string;
  runId: string;
}

export type HelpTopic = 'general' | 'inspect' | 'status' | 'params' | 'data' | 'logs' | 'flows' | 'export' | 'profiles';

/** The word after `help` when it names no command, with the closest command names. */
export interface UnknownHelpTopic {
  word: string;
  suggestions: string[];
}

export type ExportFormat = 'csv' | 'json';

/** Commands that need a run and answer "set a run first" without one. */
export type RunCommand = 'status' | 'params' | 'data' | 'logs' | 'export';

/** Events parsed from what a user writes in the thread. */
export type UserEvent =
  | { type: 'user.help'; topic: HelpTopic; unknownTopic: UnknownHelpTopic | null }
  | { type: 'user.inspect'; runspec: Runspec | null }
  | { type: 'user.choose'; index: number }
  | { type: 'user.status' }
  | { type: 'user.params' }
  | { type: 'user.data'; target: string | null }
  | { type: 'user.logs'; target: string | null; stream: LogStream }
  | { type: 'user.flows' }
  | { type: 'user.forget' }
  | { type: 'user.version' }
  | { type: 'user.export'; format: ExportFormat; scope: 'runs' | 'run'; runspec: Runspec | null }
  | { type: 'user.profiles' }
  | { type: 'user.useProfile'; profile: string; listFlows: boolean }
  | { type: 'user.invalid'; text: string; problem: string }
  | { type: 'user.unknown'; text: string; suggestion: string | null };

/** Every user event type, for transitions that treat all messages alike. */
export const userEventTypes = [
  'user.help',
  'user.inspect',
  'user.choose',
  'user.status',
  'user.params',
  'user.data',
  'user.logs',
  'user.flows',
  'user.forget',
  'user.version',
  'user.export',
  'user.profiles',
  'user.useProfile',
  'user.invalid',
  'user.unknown',
] as const satisfies ReadonlyArray<UserEvent['type']>;

/** The user event types that are commands the bot runs (not help, not unreadable text). */
export const commandEventTypes = userEventTypes.filter(
  (type): type is Exclude<UserEvent['type'], 'user.help' | 'user.invalid' | 'user.unknown'> =>
    type !== 'user.help' && type !== 'user.invalid' && type !== 'user.unknown',
);

// Fails to compile when a user event type is missing from `userEventTypes`.
const everyUserEventListed: Record<UserEvent['type'], true> = Object.fromEntries(
  userEventTypes.map((type) => [type, true]),
) as Record<(typeof userEventTypes)[number], true>;
void everyUserEventListed;

/**
 * A question the host answers by reading Metaflow. It carries everything the lookup needs, so
 * that a snapshot restored while it was pending can ask it again.
 */
export type LookupRequest =
  | { kind: 'resolveRun'; runspec: Runspec }
  | { kind: 'runSummary'; run: SelectedRun }
  | { kind: 'howToInspect' }
  | { kind: 'status'; run: SelectedRun }
  | { kind: 'finishedStatus'; run: SelectedRun }
  | { kind: 'params'; run: SelectedRun }
  | { kind: 'artifactList'; run: SelectedRun }
  | { kind: 'artifactValue'; run: SelectedRun; target: string }
  | { kind: 'logIndex'; run: SelectedRun }
  | { kind: 'logTail'; run: SelectedRun; target: string; stream: LogStream }
  | { kind: 'flows' }
  | { kind: 'exportRuns'; format: ExportFormat; runspec: Runspec }
  | { kind: 'exportRunTasks'; format: ExportFormat; run: SelectedRun }
  | { kind: 'profiles' }
  | { kind: 'useProfile'; profile: string; listFlows: boolean };

/** Why a lookup ended without an answer; `detail` is a sentence for the thread, when there is one. */
export type LookupFailure = 'error' | 'timeout' | 'interrupted';

/** Events the host sends back when a lookup ends. */
export type LookupEvent =
  | { type: 'lookup.answered'; runFinished: boolean | null }
  | { type: 'lookup.runSelected'; run: SelectedRun }
  | { type: 'lookup.candidatesFound'; candidates: RunCandidate[] }
  | { type: 'lookup.noMatch' }
  | { type: 'lookup.profileSelected'; profile: string }
  | { type: 'lookup.failed'; reason: LookupFailure; detail: string | null };

export type ThreadEvent = UserEvent | LookupEvent;

/**
 * A reply the machine decides on without reading Metaflow. The host renders it; replies that
 * need data come from lookups instead.
 */
export type ReplyRequest =
  | { kind: 'intro' }
  | { kind: 'help'; topic: HelpTopic }
  | { kind: 'unknownHelpTopic'; word: string; suggestions: string[] }
  | { kind: 'needRun'; command: RunCommand }
  | { kind: 'version' }
  | { kind: 'fallback'; text: string; suggestion: string | null }
  | { kind: 'invalidInput'; text: string; problem: string }
  | { kind: 'choiceOutOfRange'; index: number; count: number }
  | { kind: 'busy'; pending: LookupRequest }
  | { kind: 'lookupLost'; request: LookupRequest; reason: LookupFailure; detail: string | null }
  | { kind: 'forgotten'; run: SelectedRun }
  | { kind: 'nothingToForget' };

/** Event the machine emits for the host to act on. */
export type ThreadEmitted = { type: 'reply'; reply: ReplyRequest };
