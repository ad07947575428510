/**
 * The reads the reader benchmark measures, each one call that a bot command makes, on the
 * generated datastore (see `generate-datastore.ts`).
 */
import { largeArtifactName, largeTaskFlowName, largeTaskRunId } from '../datastore/large-task-flow.ts';
import { manyRunsFlowName } from '../datastore/many-runs-flow.ts';
import { wideForeachFlowName, wideForeachRunId, wideForeachRunningRunId } from '../datastore/wide-foreach-flow.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';

/** Time limits a case should meet, in milliseconds. */
export interface CaseGoal {
  coldMs?: number;
  warmMs?: number;
}

/** One measured read. `run` returns a short description of what it read, to check the result. */
export interface ReaderCase {
  id: string;
  title: string;
  goal: CaseGoal;
  run(reader: MetaflowReader): Promise<string>;
}

/** Lines of a log tail the bot shows (`run-logs.ts`). */
const logTailLines = 40;
/** Characters of an artifact value the bot shows in a message (`run-artifacts.ts`). */
const shownReprLength = 2_500;
/** One hour. The unfinished run's records are older, so it shows as stale, which reads as much as running. */
const staleAfterMs = 3_600_000;

/** The cases, in the order they are reported. */
export const readerCases: readonly ReaderCase[] = [
  {
    id: 'newest-runs',
    title: `newest 5 runs of ${manyRunsFlowName}`,
    goal: { coldMs: 200 },
    run: async (reader) => {
      const runs = await reader.listRuns(manyRunsFlowName, { limit: 5 });
      return `${runs.length} runs, newest ${runs[0]?.id ?? 'none'}`;
    },
  },
  {
    id: 'foreach-status',
    title: `status of the finished ${wideForeachFlowName} run`,
    goal: { coldMs: 1_000, warmMs: 50 },
    run: async (reader) => {
      const status = await reader.getRunStatus(wideForeachFlowName, wideForeachRunId, { staleAfterMs, now: Date.now() });
      return `${status.state}, ${status.tasksTotal.toLocaleString('en-US')} tasks`;
    },
  },
  {
    id: 'unfinished-foreach-status',
    title: `status of the unfinished ${wideForeachFlowName} run`,
    goal: { coldMs: 1_000, warmMs: 50 },
    run: async (reader) => {
      const status = await reader.getRunStatus(wideForeachFlowName, wideForeachRunningRunId, { staleAfterMs, now: Date.now() });
      return `${status.state}, ${status.tasksTotal.toLocaleString('en-US')} tasks, ${status.tasksRunning} running`;
    },
  },
  {
    id: 'artifact-value',
    title: `\`${largeArtifactName}\` of ${largeTaskFlowName} (first ${shownReprLength.toLocaleString('en-US')} characters)`,
    goal: {},
    run: async (reader) => {
      const value = await reader.readArtifact(largeTaskFlowName, largeTaskRunId, 'start', '1', largeArtifactName, { maxReprLength: shownReprLength });
      return `${value.info.type} of ${value.info.size.toLocaleString('en-US')} bytes, repr of ${value.reprLength.toLocaleString('en-US')} characters`;
    },
  },
  {
    id: 'log-tail',
    title: `last ${logTailLines} lines of the ${largeTaskFlowName} stdout`,
    goal: {},
    run: async (reader) => {
      const log = await reader.readLog(largeTaskFlowName, largeTaskRunId, 'start', '1', 'stdout', { tailLines: logTailLines });
      return `${log.lines.length} of ${log.totalLines.toLocaleString('en-US')} lines`;
    },
  },
];

/** Returns the case with this id, or throws naming the valid ids. */
export function findReaderCase(id: string): ReaderCase {
  const found = readerCases.find((candidate) => candidate.id === id);
  if (found === undefined) {
    throw new Error(`Unknown reader case ${JSON.stringify(id)}. Valid cases: ${readerCases.map((candidate) => candidate.id).join(', ')}.`);
  }
  return found;
}
