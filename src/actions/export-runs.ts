import type { Runspec } from '../machines/runspec.ts';
import type { ExportFormat, SelectedRun } from '../machines/thread-events.ts';
import { textMessage } from './bot-message.ts';
import { answered, type LookupContext, type LookupResult } from './lookup-context.ts';

// TODO: exports are being built; until then these answer that they are not available.
export async function exportRuns(_context: LookupContext, format: ExportFormat, _runspec: Runspec): Promise<LookupResult> {
  return answered(textMessage(`The ${format.toUpperCase()} export is not available in this version yet.`));
}

export async function exportRunTasks(_context: LookupContext, format: ExportFormat, _run: SelectedRun): Promise<LookupResult> {
  return answered(textMessage(`The ${format.toUpperCase()} export is not available in this version yet.`));
}
