import type {
  ArtifactInfo,
  ArtifactValue,
  ArtifactValueOptions,
  Dag,
  FlowInfo,
  LogOptions,
  LogStream,
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

/**
 * A reader that passes every call to another one. Tests extend it and override the calls
 * whose results they change, so the rest still comes from the real fixture datastore.
 */
export class DelegatingReader implements MetaflowReader {
  readonly inner: MetaflowReader;

  constructor(inner: MetaflowReader) {
    this.inner = inner;
  }

  get description(): string {
    return this.inner.description;
  }

  listFlows(): Promise<FlowInfo[]> {
    return this.inner.listFlows();
  }

  listRuns(flow: string, filter?: RunFilter): Promise<RunInfo[]> {
    return this.inner.listRuns(flow, filter);
  }

  getRun(flow: string, runId: string): Promise<RunInfo> {
    return this.inner.getRun(flow, runId);
  }

  latestRun(flow: string, filter?: Omit<RunFilter, 'limit'>): Promise<RunInfo | null> {
    return this.inner.latestRun(flow, filter);
  }

  latestSuccessfulRun(flow: string, filter?: Omit<RunFilter, 'limit'>): Promise<RunInfo | null> {
    return this.inner.latestSuccessfulRun(flow, filter);
  }

  listSteps(flow: string, runId: string): Promise<StepInfo[]> {
    return this.inner.listSteps(flow, runId);
  }

  listTasks(flow: string, runId: string, step: string): Promise<TaskInfo[]> {
    return this.inner.listTasks(flow, runId, step);
  }

  getTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskInfo> {
    return this.inner.getTask(flow, runId, step, taskId);
  }

  getParameters(flow: string, runId: string): Promise<ParameterInfo[]> {
    return this.inner.getParameters(flow, runId);
  }

  getDag(flow: string, runId: string): Promise<Dag> {
    return this.inner.getDag(flow, runId);
  }

  getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    return this.inner.getRunStatus(flow, runId, options);
  }

  listArtifacts(flow: string, runId: string, step: string, taskId: string): Promise<ArtifactInfo[]> {
    return this.inner.listArtifacts(flow, runId, step, taskId);
  }

  readArtifact(flow: string, runId: string, step: string, taskId: string, name: string, options?: ArtifactValueOptions): Promise<ArtifactValue> {
    return this.inner.readArtifact(flow, runId, step, taskId, name, options);
  }

  readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, options?: LogOptions): Promise<LogTail> {
    return this.inner.readLog(flow, runId, step, taskId, stream, options);
  }
}
