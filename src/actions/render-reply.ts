import type { LookupFailure, ReplyRequest } from '../machines/thread-events.ts';
import { formatCount } from '../text/format-count.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage, type BotMessage } from './bot-message.ts';
import { describeRequest, runName } from './describe-request.ts';
import { helpText, needRunText } from './help-text.ts';

/** What the replies that need no data depend on. */
export interface ReplyContext {
  botName: string;
  version: string;
  /** How long a lookup may take, in milliseconds; named in the "timed out" reply. */
  lookupTimeoutMs: number;
}

/** Renders a reply that the machine decided on without reading Metaflow. */
export function renderReply(reply: ReplyRequest, context: ReplyContext): BotMessage {
  switch (reply.kind) {
    case 'intro':
      return new MessageBuilder()
        .section(
          `Hi, I'm *${context.botName}*. I answer questions about Metaflow runs in this thread: set a run with ` +
            '`inspect &lt;Flow&gt;` or `inspect the latest run of &lt;Flow&gt;`, then ask `status`, `params`, `data` or `logs`. ' +
            'Say `help` for every command.',
        )
        .build();
    case 'help':
      return textMessage(helpText(reply.topic, context.botName));
    case 'unknownHelpTopic':
      return new MessageBuilder()
        .section(unknownHelpTopicText(reply.word, reply.suggestions))
        .section(helpText('general', context.botName))
        .build();
    case 'needRun':
      return textMessage(needRunText(reply.command));
    case 'version':
      return textMessage(`${context.botName} ${context.version}`);
    case 'fallback':
      return textMessage(fallbackText(reply.text, reply.suggestion));
    case 'invalidInput':
      return textMessage(reply.problem);
    case 'choiceOutOfRange':
      return textMessage(
        `There is no run number ${reply.index} in the last list: pick a number from 1 to ${reply.count}, ` +
          'or name the run with `inspect &lt;Flow&gt;/&lt;run id&gt;`.',
      );
    case 'busy':
      return textMessage(
        `I am still looking up ${describeRequest(reply.pending)}. Ask again once that answer is here.`,
      );
    case 'lookupLost':
      return textMessage(
        `I could not finish looking up ${describeRequest(reply.request)}: ${failureText(reply.reason, context)} ` +
          (reply.detail ? `${escapeSlackText(reply.detail)} ` : '') +
          'Nothing in this thread changed, so you can ask again.',
      );
    case 'forgotten':
      return textMessage(`Forgot ${runName(reply.run)}. No run is set in this thread now.`);
    case 'nothingToForget':
      return textMessage('No run was set in this thread, so there was nothing to forget.');
    default:
      return reply satisfies never;
  }
}

/** Characters of a user's message quoted back in a reply; the rest is cut. */
const maxQuotedLength = 80;

/** Quotes (part of) a user's message as inline code, escaped for Slack. */
function quoteUserText(text: string): string {
  return inlineCode(text.length > maxQuotedLength ? `${text.slice(0, maxQuotedLength)}…` : text);
}

function fallbackText(text: string, suggestion: string | null): string {
  if (text === '') {
    return 'Your message had no command in it. Say `help` to see what I can do.';
  }
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : '';
  return `I don't know what to do with ${quoteUserText(text)}.${hint} Say \`help\` to see every command.`;
}

function unknownHelpTopicText(word: string, suggestions: string[]): string {
  const hint = suggestions.length > 0
    ? ` Did you mean ${suggestions.map((name) => inlineCode(`help ${name}`)).join(' or ')}?`
    : '';
  return `There is no command ${quoteUserText(word)}.${hint}`;
}

function failureText(reason: LookupFailure, context: ReplyContext): string {
  switch (reason) {
    case 'error':
      return 'reading Metaflow failed (the details are in the bot\'s log).';
    case 'timeout':
      return `it took longer than ${formatCount(Math.round(context.lookupTimeoutMs / 1000), 'second')}.`;
    case 'interrupted':
      return 'the bot restarted while it was working on it.';
    default:
      return reason satisfies never;
  }
}
