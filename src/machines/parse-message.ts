import { findClosestMatches } from '../text/closest-match.ts';
import { inlineCode, unescapeSlackText } from '../text/slack-escape.ts';
import { isRunspecError, parseRunspec } from './runspec.ts';
import type { ExportFormat, HelpTopic, UserEvent } from './thread-events.ts';

/** Messages longer than this, in characters, are not parsed: no command is that long. */
export const maxCommandLength = 2_000;

/** Highest number a user can pick from a numbered list. */
const maxChoice = 999;

/** The command words, for suggestions when a message matches none. */
export const commandWords = [
  'help',
  'inspect',
  'status',
  'params',
  'parameters',
  'data',
  'logs',
  'flows',
  'forget',
  'version',
  'export',
  'profiles',
  'use',
] as const;

/**
 * The help for each command word; commands without a topic of their own get the general help.
 * A Map, so that words such as `constructor` find nothing instead of an object's prototype.
 */
const helpTopics = new Map<string, HelpTopic>([
  ['help', 'general'],
  ['inspect', 'inspect'],
  ['status', 'status'],
  ['params', 'params'],
  ['parameters', 'params'],
  ['data', 'data'],
  ['artifacts', 'data'],
  ['logs', 'logs'],
  ['log', 'logs'],
  ['flows', 'flows'],
  ['forget', 'general'],
  ['version', 'general'],
  ['export', 'export'],
  ['profiles', 'profiles'],
  ['use', 'profiles'],
]);

/** Words after `help` that ask for the general help, as in `help me`. */
const helpFillerWords = new Set(['me', 'please', 'pls', 'us']);

export interface ParseOptions {
  /** The bot's Slack user id; its mentions are removed before parsing. */
  botUserId?: string;
}

/**
 * Removes what is not part of the command: the bot's mention, Slack's escaping, code
 * formatting, control characters and extra spaces.
 */
export function normalizeMessage(text: string, options: ParseOptions = {}): string {
  let result = text;
  if (options.botUserId) {
    const mention = new RegExp(`<@${escapeRegExp(options.botUserId)}(?:\\|[^>]*)?>`, 'g');
    result = result.replace(mention, ' ');
  }
  result = unescapeSlackText(result);
  result = result.replace(/```/g, ' ').replace(/`/g, '');
  // Control characters and bidirectional overrides are never part of a command; as spaces they
  // cannot glue words together or reorder what the reply quotes back.
  result = result.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, ' ');
  return result.replace(/\s+/g, ' ').trim();
}

/** Turns a message into the event the thread machine acts on. */
export function parseMessage(text: string, options: ParseOptions = {}): UserEvent {
  if (text.length > maxCommandLength * 4) {
    return invalid(text, `That message is ${text.length} characters long; commands are short, so it was not read.`);
  }
  const message = normalizeMessage(text, options);
  if (message.length === 0) {
    return { type: 'user.unknown', text: '', suggestion: null };
  }
  if (message.length > maxCommandLength) {
    return invalid(message, `That message is ${message.length} characters long; commands are short, so it was not read.`);
  }

  const [first = '', ...restWords] = message.split(' ');
  const word = first.toLowerCase();
  const rest = restWords.join(' ');

  return parseCommand(word, rest, message) ?? unknown(message, word);
}

function parseCommand(word: string, rest: string, message: string): UserEvent | null {
  if (/^\d+$/.test(message)) {
    const index = Number(message);
    return index <= maxChoice ? { type: 'user.choose', index } : null;
  }
  switch (word) {
    case 'help':
    case '?':
      return parseHelp(rest);
    case 'how':
      return /^to\b/i.test(rest)
        ? { type: 'user.help', topic: parseHelpTopic(rest.replace(/^to\s*/i, '')), unknownTopic: null }
        : null;
    case 'inspect':
      return parseInspect(rest, message);
    case 'status':
      return rest === '' ? { type: 'user.status' } : takesNoRun('status', rest, message);
    case 'params':
    case 'parameters':
      return rest === '' ? { type: 'user.params' } : takesNoRun('params', rest, message);
    case 'data':
    case 'artifacts':
      return { type: 'user.data', target: rest === '' ? null : rest };
    case 'logs':
    case 'log':
      return parseLogs(rest);
    case 'flows': {
      const from = /^from\s+(\S+)$/i.exec(rest);
      if (from?.[1]) {
        return { type: 'user.useProfile', profile: from[1], listFlows: true };
      }
      return rest === '' ? { type: 'user.flows' } : null;
    }
    case 'forget':
      return { type: 'user.forget' };
    case 'version':
      return { type: 'user.version' };
    case 'export':
      return parseExport(rest, message);
    case 'profiles':
      return rest === '' ? { type: 'user.profiles' } : null;
    case 'use':
      return parseUseProfile(rest, message);
    default:
      return null;
  }
}

/** Parses `help`, `help <command>` or `help <word>`, where the word may be no command at all. */
function parseHelp(rest: string): UserEvent {
  if (/^how\s+to\b/i.test(rest)) {
    return { type: 'user.help', topic: parseHelpTopic(rest.replace(/^how\s+to\s*/i, '')), unknownTopic: null };
  }
  const word = rest.split(' ')[0] ?? '';
  const lowerWord = word.toLowerCase();
  if (word === '' || helpFillerWords.has(lowerWord)) {
    return { type: 'user.help', topic: 'general', unknownTopic: null };
  }

  const topic = helpTopics.get(lowerWord);
  if (topic) {
    return { type: 'user.help', topic, unknownTopic: null };
  }
  const suggestions = findClosestMatches(word, commandWords);
  return { type: 'user.help', topic: 'general', unknownTopic: { word, suggestions } };
}

/** The topic of `how to <text>`: a command word, else the general help. */
function parseHelpTopic(text: string): HelpTopic {
  const topicWord = text.trim().split(' ')[0]?.toLowerCase() ?? '';
  return helpTopics.get(topicWord) ?? 'general';
}

function parseInspect(rest: string, message: string): UserEvent {
  if (rest === '') {
    return { type: 'user.inspect', runspec: null };
  }
  const flowsFrom = /^flows\s+from\s+(\S+)$/i.exec(rest);
  if (flowsFrom?.[1]) {
    return { type: 'user.useProfile', profile: flowsFrom[1], listFlows: true };
  }
  const runspec = parseRunspec(rest);
  if (isRunspecError(runspec)) {
    const forms = `${inlineCode('inspect <Flow>')}, ${inlineCode('inspect <Flow>/<run id>')} or \`how to inspect\``;
    return invalid(message, `${runspec.error} Try ${forms}.`);
  }
  return { type: 'user.inspect', runspec };
}

function parseUseProfile(rest: string, message: string): UserEvent {
  const match = /^(?:profile\s+)?(\S+)$/i.exec(rest);
  if (!match?.[1] || match[1].length > 128 || /^profile$/i.test(rest)) {
    return invalid(message, 'Say `use profile &lt;name&gt;`; `profiles` lists the names.');
  }
  return { type: 'user.useProfile', profile: match[1], listFlows: false };
}

function parseLogs(rest: string): UserEvent {
  const words = rest === '' ? [] : rest.split(' ');
  const streamWord = words.find((candidate) => /^(stderr|stdout)$/i.test(candidate));
  const targetWords = words.filter((candidate) => candidate !== streamWord);
  return {
    type: 'user.logs',
    target: targetWords.length > 0 ? targetWords.join(' ') : null,
    stream: streamWord?.toLowerCase() === 'stderr' ? 'stderr' : 'stdout',
  };
}

function parseExport(rest: string, message: string): UserEvent {
  const [formatWord = '', ...restWords] = rest.split(' ');
  const format = formatWord.toLowerCase();
  if (format !== 'csv' && format !== 'json') {
    return invalid(message, 'Say `export csv` or `export json`, optionally followed by `run` or a runspec.');
  }
  const target = restWords.join(' ');
  if (target.toLowerCase() === 'run') {
    return { type: 'user.export', format: format as ExportFormat, scope: 'run', runspec: null };
  }
  if (target === '') {
    return { type: 'user.export', format: format as ExportFormat, scope: 'runs', runspec: null };
  }
  const runspec = parseRunspec(target);
  if (isRunspecError(runspec)) {
    return invalid(message, `${runspec.error} Try ${inlineCode(`export ${format} <Flow>`)} or \`help export\`.`);
  }
  return { type: 'user.export', format: format as ExportFormat, scope: 'runs', runspec };
}

/**
 * Handles `status <run>` and `params <run>`, which many users try first: the command reads the
 * thread's run, so the reply names the `inspect` that sets it. Other words after the command
 * are left to the fallback.
 */
function takesNoRun(command: string, rest: string, message: string): UserEvent | null {
  if (isRunspecError(parseRunspec(rest))) {
    return null;
  }
  return invalid(message, `${inlineCode(command)} reads the run this thread inspects: set it first with ${inlineCode(`inspect ${rest}`)}, then ask ${inlineCode(command)}.`);
}

function invalid(text: string, problem: string): UserEvent {
  return { type: 'user.invalid', text, problem };
}

function unknown(message: string, word: string): UserEvent {
  const [suggestion] = findClosestMatches(word, commandWords, 1);
  return { type: 'user.unknown', text: message, suggestion: suggestion ?? null };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
