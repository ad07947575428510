import { textMessage, type BotMessage } from '../actions/bot-message.ts';
import { describeRequest } from '../actions/describe-request.ts';
import type { LookupRequest } from '../machines/thread-events.ts';
import type { StoredStateProblem } from './stored-thread.ts';

/** Prefix of every "Looking up …" message, so that the bot can tell them from its other messages. */
export const lookupStartedPrefix = ':hourglass_flowing_sand:';

/**
 * Builds the message posted when a lookup starts. It carries the pending state until the answer
 * replaces it; after a restart its text tells that the question is asked again.
 */
export function lookupStartedMessage(request: LookupRequest, afterRestart: boolean): BotMessage {
  const subject = describeRequest(request);
  if (afterRestart) {
    return textMessage(`${lookupStartedPrefix} I restarted while I was looking up ${subject}, so I am looking it up again…`);
  }
  return textMessage(`${lookupStartedPrefix} Looking up ${subject}…`);
}

/** Builds the text that replaces a message whose lookup a restart interrupted; the lookup is asked again further down. */
export function lookupInterruptedMessage(request: LookupRequest): BotMessage {
  return textMessage(`:warning: I restarted before I finished looking up ${describeRequest(request)}, so I asked again further down.`);
}

/** Builds the note posted when a thread's stored state was not used, before the thread starts afresh. */
export function storedStateNotice(problem: StoredStateProblem): BotMessage {
  const restart = 'so this thread starts over: no run is set.';
  switch (problem) {
    case 'foreign':
      return textMessage(`I ignored thread state that another app or a person posted here, ${restart}`);
    case 'missingPayload':
    case 'missingState':
      return textMessage(`I found no saved state of mine in this thread, ${restart}`);
    case 'invalid':
      return textMessage(`The state I saved in this thread is damaged and I did not use it, ${restart}`);
    case 'newerVersion':
      return textMessage(`A newer version of me saved this thread's state, which this version cannot read, ${restart}`);
    case 'olderVersion':
      return textMessage(`An older version of me saved this thread's state in a format this version no longer reads, ${restart}`);
    default:
      return problem satisfies never;
  }
}

/**
 * Builds the reply for when the thread's replies could not be read from Slack. It carries no state, since
 * the thread's real state is unknown and must not be overwritten.
 */
export function threadUnreadableMessage(): BotMessage {
  return textMessage("I could not read this thread's earlier messages from Slack, so I cannot answer right now. Please try again in a minute.");
}
