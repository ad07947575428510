import type { Logger } from '../logger.ts';
import { MetaflowError } from '../metaflow/errors.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import type { Runspec } from '../machines/runspec.ts';
import { findClosestMatches } from '../text/closest-match.ts';
import { drainChunks } from './drain-chunks.ts';
import { ExportError } from './export-error.ts';
import type { ExportEnvironment } from './export-table.ts';
import { openFileSink, streamSink } from './output-sink.ts';
import { exportUsage, parseExportArgs, type ExportArguments } from './parse-export-args.ts';
import { planRunsExport } from './runs-table.ts';
import { planTasksExport, type RunReference } from './tasks-table.ts';
import { writeExport } from './write-export.ts';

/** The reader, streams, clock and settings of `metaflowbot export`, passed in so that tests can supply their own. */
export interface ExportCommandIo {
  reader: MetaflowReader;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Current time in epoch milliseconds. */
  now: () => number;
  /** An unfinished run silent for longer than this, in milliseconds, is exported as `no activity`. */
  staleAfterMs: number;
  logger: Logger;
  botVersion: string;
  /** The source's name when the bot reads more than one (e.g. a Metaflow profile). */
  sourceLabel: string | null;
}

/** Exit status for invalid arguments, as most command-line tools use it. */
const usageExitCode = 2;

/**
 * Runs `metaflowbot export <runspec> [options]` (`args` are the words after `export`): writes
 * the export to `--out` or stdout and a one-line summary to stderr. Returns the exit code:
 * 0 on success, 1 when the export failed, 2 for invalid arguments, which include an `--out`
 * that exists and is not a regular file. Every failure prints one sentence to stderr; the log
 * gets the details.
 */
export async function runExportCommand(args: readonly string[], io: ExportCommandIo): Promise<number> {
  const parsed = parseExportArgs(args);
  if ('help' in parsed) {
    io.stdout.write(exportUsage);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n`);
    return usageExitCode;
  }

  const progress = { wroteToStdout: false };
  try {
    await exportToOutput(parsed, io, progress);
    return 0;
  } catch (error) {
    if (error instanceof ExportError && error.code === 'invalid_output') {
      io.stderr.write(`${error.message}\n`);
      return usageExitCode;
    }
    const incomplete = progress.wroteToStdout ? ' The output on stdout is incomplete.' : '';
    io.stderr.write(`${describeFailure(error, io.logger)}${incomplete}\n`);
    return 1;
  }
}

async function exportToOutput(parsed: ExportArguments, io: ExportCommandIo, progress: { wroteToStdout: boolean }): Promise<void> {
  // The file is opened before anything is read, so an invalid or unwritable path fails at once.
  const sink = parsed.out === null ? streamSink(io.stdout) : await openFileSink(parsed.out);
  try {
    const flow = await findFlow(io.reader, parsed.runspec.flow);
    const runspec = { ...parsed.runspec, flow };
    const environment: ExportEnvironment = {
      reader: io.reader,
      now: io.now(),
      staleAfterMs: io.staleAfterMs,
      botVersion: io.botVersion,
      sourceLabel: io.sourceLabel,
    };
    const planned = await planExport({ ...parsed, runspec }, environment);
    const count = await drainChunks(planned.chunks, (chunk) => {
      progress.wroteToStdout = parsed.out === null;
      return sink.write(chunk);
    });
    await sink.commit();
    io.stderr.write(`${summarize(planned, count, parsed)}\n`);
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** An export ready to write: its kind, its subject, and its text as it is produced. */
interface PlannedExport {
  kind: 'runs' | 'tasks';
  subject: string;
  chunks: AsyncGenerator<string, number>;
}

async function planExport(parsed: ExportArguments, environment: ExportEnvironment): Promise<PlannedExport> {
  const csvOptions = { bom: parsed.bom };
  if (parsed.tasks) {
    const table = await planTasksExport(environment, await findOneRun(environment.reader, parsed.runspec));
    return { kind: table.kind, subject: table.subject, chunks: writeExport(table, parsed.format, csvOptions) };
  }
  const table = await planRunsExport(environment, { runspec: parsed.runspec, limit: parsed.limit });
  return { kind: table.kind, subject: table.subject, chunks: writeExport(table, parsed.format, csvOptions) };
}

/**
 * Finds a flow by its exact name, or else ignoring case (`helloflow`), as the thread does.
 *
 * @throws MetaflowError `not_found` with the closest names as suggestions.
 */
async function findFlow(reader: MetaflowReader, flow: string): Promise<string> {
  const names = (await reader.listFlows()).map((info) => info.name);
  const found = names.find((name) => name === flow) ?? names.find((name) => name.toLowerCase() === flow.toLowerCase());
  if (found !== undefined) {
    return found;
  }
  const suggestions = findClosestMatches(flow, names);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.join(' or ')}?` : '';
  throw new MetaflowError('not_found', `There is no flow named ${flow} in the ${reader.description}.${hint}`);
}

/** Finds the run that `--tasks` exports: the pathspec's, or the newest that matches `latest`. */
async function findOneRun(reader: MetaflowReader, runspec: Runspec): Promise<RunReference> {
  if (runspec.kind === 'pathspec') {
    return { flow: runspec.flow, runId: runspec.runId };
  }
  if (runspec.kind === 'runs') {
    throw new Error('findOneRun needs a runspec that names one run; parseExportArgs checks it first');
  }
  const filter = { user: runspec.user ?? undefined, tags: runspec.tags };
  const run = runspec.successful ? await reader.latestSuccessfulRun(runspec.flow, filter) : await reader.latestRun(runspec.flow, filter);
  if (run === null) {
    throw new MetaflowError('not_found', `No run of ${runspec.flow} matches the runspec, so there are no tasks to export.`);
  }
  return { flow: run.flow, runId: run.id };
}

function summarize(planned: PlannedExport, count: number, parsed: ExportArguments): string {
  const noun = planned.kind === 'runs' ? 'run' : 'task';
  const where = parsed.out ?? 'stdout';
  return `Exported ${count} ${count === 1 ? noun : `${noun}s`} of ${planned.subject} as ${parsed.format.toUpperCase()} to ${where}.`;
}

function describeFailure(error: unknown, logger: Logger): string {
  if (error instanceof ExportError && error.code === 'invalid_export') {
    logger.error('export failed its schema check', { code: error.code, ...error.details });
    return 'The export failed a check against its schema, so it was stopped; this is a bug in metaflowbot and the log has the details.';
  }
  if (error instanceof ExportError) {
    logger.warn('export stopped', { code: error.code, ...error.details });
    return error.message;
  }
  if (error instanceof MetaflowError && (error.code === 'not_found' || error.code === 'invalid_name')) {
    logger.info('export named something that does not exist', { code: error.code, detail: error.message });
    return error.message;
  }
  if (error instanceof MetaflowError) {
    logger.error('export could not read Metaflow', { error });
    return error.message;
  }
  logger.error('export failed', { error });
  return `The export failed: ${error instanceof Error ? error.message : String(error)}.`;
}
