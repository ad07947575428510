import path from 'node:path';
import { parseArgs } from 'node:util';
import { isRunspecError, parseRunspec, type Runspec } from '../machines/runspec.ts';
import type { ExportFormat } from '../machines/thread-events.ts';

/** The request given to `metaflowbot export`. */
export interface ExportArguments {
  runspec: Runspec;
  format: ExportFormat;
  /** Export one run's steps and tasks instead of a flow's runs. */
  tasks: boolean;
  /** At most this many runs; `null` for all. */
  limit: number | null;
  /** File to write; `null` for stdout. */
  out: string | null;
  /** Start a CSV with a UTF-8 byte order mark (for Excel). */
  bom: boolean;
}

/** The reason the arguments are invalid, as one sentence. */
export interface ArgumentError {
  error: string;
}

/** The result of parsing: the arguments, a request for help, or why they are invalid. */
export type ParsedExportArguments = ExportArguments | { help: true } | ArgumentError;

/** The usage text of `metaflowbot export`. */
export const exportUsage = `Usage: metaflowbot export <runspec> [options]

Writes a flow's runs, or one run's steps and tasks, as CSV or JSON, newest first.

<runspec> is a flow (HelloFlow), a user's runs (alice's HelloFlow), a run (HelloFlow/1234)
or the latest run (the latest successful run of HelloFlow), optionally with "tagged <tag>".

Options:
  --format csv|json  output format (default: from the --out extension, else csv)
  --out <file>       file to write (default: stdout); written whole or not at all
  --user <name>      only runs of this user
  --tag <tag>        only runs that carry this tag (repeatable: every tag must match)
  --limit <n>        at most n runs, newest first (default: all)
  --tasks            the steps and tasks of the one run the runspec names
  --no-bom           no UTF-8 byte order mark at the start of a CSV (Excel needs it for non-ASCII text)
  -h, --help         show this text
`;

const options = {
  format: { type: 'string' },
  out: { type: 'string' },
  user: { type: 'string' },
  tag: { type: 'string', multiple: true },
  limit: { type: 'string' },
  tasks: { type: 'boolean' },
  'no-bom': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses the words after `metaflowbot export`. */
export function parseExportArgs(args: readonly string[]): ParsedExportArguments {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeLimit(args), options, allowPositionals: true, strict: true });
  } catch (error) {
    return { error: describeParseError(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { help: true };
  }

  const out = values.out ?? null;
  const format = chooseFormat(values.format, out);
  if (isArgumentError(format)) {
    return format;
  }
  const limit = parseLimit(values.limit);
  if (isArgumentError(limit)) {
    return limit;
  }
  const runspec = buildRunspec(positionals, values.user, values.tag ?? []);
  if (isArgumentError(runspec)) {
    return runspec;
  }

  const exportArguments: ExportArguments = {
    runspec,
    format,
    tasks: values.tasks ?? false,
    limit,
    out,
    bom: !values['no-bom'],
  };
  return checkScope(exportArguments);
}

/**
 * Joins `--limit -1` into `--limit=-1`. Node's parser reads `-1` as an option and reports
 * `--limit` as missing its value, whereas the user gave a value that `parseLimit` can name.
 */
function joinNegativeLimit(args: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const next = args[index + 1];
    if (args[index] === '--limit' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`--limit=${next}`);
      index += 1;
    } else {
      joined.push(args[index] ?? '');
    }
  }
  return joined;
}

function describeParseError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : null;
  const option = error instanceof Error ? (/'(-[^' ]+)/.exec(error.message)?.[1] ?? 'an option') : 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `Unknown option ${option}; run \`metaflowbot export --help\` to list the options.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return `Option ${option} is missing its value or takes none; run \`metaflowbot export --help\` for its use.`;
  }
  return error instanceof Error ? error.message : String(error);
}

function chooseFormat(requested: string | undefined, out: string | null): ExportFormat | ArgumentError {
  if (requested === undefined) {
    return out !== null && path.extname(out).toLowerCase() === '.json' ? 'json' : 'csv';
  }
  if (requested === 'csv' || requested === 'json') {
    return requested;
  }
  return { error: `Unknown format ${JSON.stringify(requested)}; use --format csv or --format json.` };
}

function parseLimit(text: string | undefined): number | null | ArgumentError {
  if (text === undefined) {
    return null;
  }
  const limit = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    return { error: `Invalid --limit ${JSON.stringify(text)}; it must be a whole number of runs, 1 or more.` };
  }
  return limit;
}

/** Parses the runspec words and merges `--user` and `--tag` into it. */
function buildRunspec(words: readonly string[], user: string | undefined, tags: readonly string[]): Runspec | ArgumentError {
  if (words.length === 0) {
    return { error: 'Missing runspec: name a flow, e.g. `metaflowbot export HelloFlow --format csv`.' };
  }
  const runspec = parseRunspec(words.join(' '));
  if (isRunspecError(runspec)) {
    return { error: `Invalid runspec ${JSON.stringify(words.join(' '))}: ${runspec.error}` };
  }
  if (runspec.kind === 'pathspec') {
    return user === undefined && tags.length === 0
      ? runspec
      : { error: 'A run given by its pathspec cannot be filtered by --user or --tag.' };
  }
  if (user !== undefined && runspec.user !== null && runspec.user !== user) {
    return { error: `The runspec names user ${runspec.user} but --user names ${user}; give one of them.` };
  }
  const mergedTags = [...runspec.tags, ...tags.filter((tag) => !runspec.tags.includes(tag))];
  return { ...runspec, user: user ?? runspec.user, tags: mergedTags };
}

/** `--tasks` needs one run; `--limit` needs a list of runs. */
function checkScope(parsed: ExportArguments): ParsedExportArguments {
  const oneRun = parsed.runspec.kind !== 'runs';
  if (parsed.tasks && !oneRun) {
    return { error: '--tasks needs one run: give a pathspec (HelloFlow/1234) or "the latest run of HelloFlow".' };
  }
  if (parsed.limit !== null && oneRun) {
    return { error: '--limit applies to a list of runs, but the runspec names one run.' };
  }
  return parsed;
}

function isArgumentError(value: unknown): value is ArgumentError {
  return typeof value === 'object' && value !== null && 'error' in value;
}
