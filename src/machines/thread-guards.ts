import type { ThreadContext } from './thread-context.ts';
import type { ThreadEvent } from './thread-events.ts';

/**
 * The thread's help and fallback rules as named, pure predicates. Each is a guard on a
 * transition of the thread machine, so the state diagram names every rule.
 */
interface GuardArgs {
  context: ThreadContext;
  event: ThreadEvent;
}

/**
 * Greetings, matched on the whole message ignoring case: a greeting word, optionally `there`,
 * `all` or the like, trailing punctuation and Slack emoji codes such as `:wave:`.
 */
const greetingPattern =
  /^(?:hi|hello|hey|hiya|howdy|hallo|yo|greetings|good (?:morning|afternoon|evening|day))[!.,]*(?: (?:there|all|everyone|folks|team|bot)[!.,]*)?(?: :[\w+-]+:)*$/i;

/**
 * A greeting such as `hi` or `good morning`, or an empty message such as a bare mention. As a
 * thread's first message it gets the introduction alone, because it requests nothing else.
 */
export function isGreeting({ event }: GuardArgs): boolean {
  return event.type === 'user.unknown' && (event.text === '' || greetingPattern.test(event.text));
}

/** `how to inspect` or `help inspect`: the runspec forms, with examples from real flows. */
export function isInspectHelp({ event }: GuardArgs): boolean {
  return event.type === 'user.help' && event.topic === 'inspect';
}

/** `help <word>` for a word that is no command: the reply names the word, then gives the general help. */
export function isUnknownHelpTopic({ event }: GuardArgs): boolean {
  return event.type === 'user.help' && event.unknownTopic !== null;
}

/** `inspect` (or `export`) followed by a runspec. */
export function hasRunspec({ event }: GuardArgs): boolean {
  return (event.type === 'user.inspect' || event.type === 'user.export') && event.runspec !== null;
}

/** `export csv run`: one run's steps and tasks. */
export function isRunExport({ event }: GuardArgs): boolean {
  return event.type === 'user.export' && event.scope === 'run';
}

/** `data <name>` or `logs <step>`: the command names what to show. */
export function hasTarget({ event }: GuardArgs): boolean {
  return (event.type === 'user.data' || event.type === 'user.logs') && event.target !== null;
}

/** A number that picks an entry of the last numbered list. */
export function isChoiceInList({ context, event }: GuardArgs): boolean {
  return event.type === 'user.choose' && event.index >= 1 && event.index <= context.candidates.length;
}

/** A numbered list was shown, so a number out of its range deserves its own answer. */
export function hasCandidates({ context }: GuardArgs): boolean {
  return context.candidates.length > 0;
}

/** The run set had finished when last looked at; finished runs never change. */
export function isRunKnownFinished({ context }: GuardArgs): boolean {
  return context.run?.finished === true;
}

/** A run is set, so a lookup that ends returns to the run-set state. */
export function hasRunSet({ context }: GuardArgs): boolean {
  return context.run !== null;
}
