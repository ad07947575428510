import type {
  ArtifactInfo,
  ArtifactValue,
  Dag,
  FlowInfo,
  LogTail,
  MetaflowReader,
  ParameterInfo,
  RunFilter,
  RunInfo,
  RunStatus,
  StatusOptions,
  StepInfo,
  TaskInfo,
} from '../../src/metaflow/reader.ts';

/** Name of the one flow of a `SyntheticReader`. */
export const syntheticFlow = 'SynthFlow';

const firstRunAt = Date.parse('2026-01-01T00:00:00.000Z');

/**
 * A reader of one flow with `runCount` generated runs, one a minute, that counts how many runs
 * each pass over `iterateRuns` has yielded. It ignores the filter's limit, as a backend may.
 * Calls that exports do not make throw.
 */
export class SyntheticReader implements MetaflowReader {
  readonly description = 'synthetic runs for tests';
  /** Runs yielded by the current `iterateRuns` pass. */
  yieldedInPass = 0;
  passes = 0;
  #runCount: number;

  constructor(runCount: number) {
    this.#runCount = runCount;
  }

  /** Adds a run newer than all others, as if one started while an export was running. */
  startRun(): void {
    this.#runCount += 1;
  }

  async *iterateRuns(flow: string, _filter?: RunFilter): AsyncGenerator<RunInfo> {
    this.passes += 1;
    this.yieldedInPass = 0;
    for (let index = this.#runCount - 1; index >= 0; index -= 1) {
      this.yieldedInPass += 1;
      yield this.#run(flow, index);
    }
  }

  async listFlows(): Promise<FlowInfo[]> {
    return [{ name: syntheticFlow, createdAt: firstRunAt }];
  }

  async getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    const run = this.#run(flow, Number(runId) - 1);
    return {
      run,
      state: 'succeeded',
      lastActivityAt: run.finishedAt ?? options.now,
      stepsDone: 2,
      stepsTotal: 2,
      tasksRunning: 0,
      tasksFailed: 0,
      tasksTotal: 2,
      failures: [],
      durationMs: 30_000,
    };
  }

  async getParameters(_flow: string, runId: string): Promise<ParameterInfo[]> {
    const index = Number(runId) - 1;
    return [{ name: 'seed', repr: String(index), type: 'int', json: index }];
  }

  #run(flow: string, index: number): RunInfo {
    const createdAt = firstRunAt + index * 60_000;
    return {
      flow,
      id: String(index + 1),
      pathspec: `${flow}/${index + 1}`,
      user: 'alice',
      userTags: [],
      systemTags: ['user:alice'],
      createdAt,
      finished: true,
      successful: true,
      finishedAt: createdAt + 30_000,
      endStep: 'end',
    };
  }

  listRuns(): Promise<RunInfo[]> {
    throw new Error('SyntheticReader.listRuns is not used by exports');
  }

  getRun(): Promise<RunInfo> {
    throw new Error('SyntheticReader.getRun is not used by these tests');
  }

  latestRun(): Promise<RunInfo | null> {
    throw new Error('SyntheticReader.latestRun is not used by these tests');
  }

  latestSuccessfulRun(): Promise<RunInfo | null> {
    throw new Error('SyntheticReader.latestSuccessfulRun is not used by these tests');
  }

  listSteps(): Promise<StepInfo[]> {
    throw new Error('SyntheticReader.listSteps is not used by these tests');
  }

  listTasks(): Promise<TaskInfo[]> {
    throw new Error('SyntheticReader.listTasks is not used by these tests');
  }

  getTask(): Promise<TaskInfo> {
    throw new Error('SyntheticReader.getTask is not used by these tests');
  }

  getDag(): Promise<Dag> {
    throw new Error('SyntheticReader.getDag is not used by these tests');
  }

  listArtifacts(): Promise<ArtifactInfo[]> {
    throw new Error('SyntheticReader.listArtifacts is not used by these tests');
  }

  readArtifact(): Promise<ArtifactValue> {
    throw new Error('SyntheticReader.readArtifact is not used by these tests');
  }

  readLog(): Promise<LogTail> {
    throw new Error('SyntheticReader.readLog is not used by these tests');
  }
}
