import type { Runspec } from '../machines/runspec.ts';
import type { ExportFormat, SelectedRun } from '../machines/thread-events.ts';
import { drainChunks } from '../export/drain-chunks.ts';
import { ExportError } from '../export/export-error.ts';
import { exportFileName, type ExportEnvironment, type ExportTable } from '../export/export-table.ts';
import { planRunsExport } from '../export/runs-table.ts';
import { planTasksExport } from '../export/tasks-table.ts';
import { writeExport } from '../export/write-export.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';
import { MessageBuilder, textMessage } from './bot-message.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';
import { resolveFlowName } from './resolve-run.ts';
import { sourceNote } from './run-summary.ts';

/**
 * `export csv` / `export json`: the runs a runspec names, newest first, as a file attached to
 * a one-line summary. Thread exports have no limit.
 */
export async function exportRuns(context: LookupContext, format: ExportFormat, runspec: Runspec): Promise<LookupResult> {
  const flow = await resolveFlowName(context, runspec.flow);
  if (typeof flow !== 'string') {
    return flow;
  }

  const environment = exportEnvironment(context);
  const table = await planRunsExport(environment, { runspec: { ...runspec, flow }, limit: null });
  return deliverExport(context, table, format, environment.now);
}

/** `export csv run`: the steps and tasks of the thread's run as a file. */
export async function exportRunTasks(context: LookupContext, format: ExportFormat, run: SelectedRun): Promise<LookupResult> {
  const environment = exportEnvironment(context);
  const table = await planTasksExport(environment, run);
  return deliverExport(context, table, format, environment.now);
}

function exportEnvironment(context: LookupContext): ExportEnvironment {
  return {
    reader: context.reader,
    now: context.now(),
    staleAfterMs: context.staleAfterMs,
    botVersion: context.botVersion,
    sourceLabel: context.sourceLabel,
  };
}

/**
 * Writes the export into memory (Slack uploads a file from its whole content) and replies
 * with the count and the file. An empty export gets a sentence and no file.
 */
async function deliverExport<Row extends { pathspec: string }>(
  context: LookupContext,
  table: ExportTable<Row>,
  format: ExportFormat,
  now: number,
): Promise<LookupResult> {
  const chunks: string[] = [];
  let count: number;
  try {
    // The BOM lets Excel read the UTF-8 file correctly; see `CsvOptions.bom`.
    count = await drainChunks(writeExport(table, format, { bom: true }), (chunk) => {
      chunks.push(chunk);
    });
  } catch (error) {
    if (error instanceof ExportError) {
      return answered(textMessage(reportExportError(context, error, format, table.subject)));
    }
    throw error;
  }

  const subject = inlineCode(table.subject);
  const noun = table.kind === 'runs' ? 'run' : 'task';
  if (count === 0) {
    const nothing = table.kind === 'runs' ? `No run matches ${subject}` : `${subject} has no tasks yet`;
    return answered(textMessage(`${nothing}${sourceNote(context)}, so there is nothing to export.`));
  }

  const order = table.kind === 'runs' ? 'newest first' : 'grouped by step';
  const summary = `Exported ${count} ${count === 1 ? noun : `${noun}s`} of ${subject}${sourceNote(context)} as ${format.toUpperCase()}, ${order}.`;
  return answered(
    new MessageBuilder()
      .section(summary)
      .context(`Times are ISO 8601 in UTC and durations are in seconds.${table.kind === 'runs' ? ' Runs are looked up across all namespaces.' : ''}`)
      .attach({ filename: exportFileName(table, format, now), title: table.title, content: chunks.join(''), filetype: format })
      .build(),
  );
}

function reportExportError(context: LookupContext, error: ExportError, format: ExportFormat, subject: string): string {
  if (error.code === 'invalid_export') {
    context.logger.error('export failed its schema check', { code: error.code, format, ...error.details });
    return `The ${format.toUpperCase()} export of ${inlineCode(subject)} failed a check against its schema, so no file was sent. ` +
      'This is a bug in the bot; the log has the details.';
  }
  context.logger.warn('export stopped', { code: error.code, format, ...error.details });
  return escapeSlackText(error.message);
}
