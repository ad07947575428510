/**
 * The one interface the bot reads Metaflow through. The local datastore implements it, and a
 * remote backend (the Metaflow metadata service, with artifacts and logs in a datastore) fits
 * the same shape: every list is newest first and takes a limit, so a paginated backend can
 * stop after the first page.
 *
 * Times are epoch milliseconds (UTC). Ids are strings, as in Metaflow pathspecs.
 */

/** Filters for listing runs. Tags match user tags or system tags, as the Python client does. */
export interface RunFilter {
  /** Only runs of this user (the `user:<name>` system tag, or a user tag equal to it). */
  user?: string;
  /** Only runs that carry every one of these tags. */
  tags?: readonly string[];
  /** At most this many runs, newest first. */
  limit?: number;
}

export interface FlowInfo {
  name: string;
  createdAt: number;
}

export interface RunInfo {
  flow: string;
  id: string;
  /** `Flow/run` pathspec. */
  pathspec: string;
  /** From the `user:<name>` system tag; `null` when there is none. */
  user: string | null;
  userTags: string[];
  systemTags: string[];
  createdAt: number;
  /** True when the end task finished (a `@catch` on `end` still counts as finished). */
  finished: boolean;
  /** True when the end task succeeded. */
  successful: boolean;
  /** When the end task finished; `null` when there is no end task or it has no end time. */
  finishedAt: number | null;
  /** Name of the run's end step, from the graph structure (usually `end`). */
  endStep: string;
}

export interface AttemptInfo {
  attempt: number;
  /** When the attempt started; `null` when nothing records it. */
  startedAt: number | null;
  finished: boolean;
  successful: boolean;
  finishedAt: number | null;
}

export interface TaskInfo {
  flow: string;
  runId: string;
  step: string;
  id: string;
  /** `Flow/run/step/task` pathspec. */
  pathspec: string;
  createdAt: number;
  finished: boolean;
  successful: boolean;
  finishedAt: number | null;
  /** The newest attempt that started (0 for a task that was never retried). */
  currentAttempt: number;
  /** Every attempt that started, oldest first; the last one is the current attempt. */
  attempts: AttemptInfo[];
  /** Position in the innermost foreach, `null` outside a foreach. */
  foreachIndex: number | null;
  /** Epoch ms of the last sign of life: a heartbeat, or the newest metadata Metaflow recorded for it. */
  lastActivityAt: number;
}

export interface StepInfo {
  name: string;
  createdAt: number;
  /** Latest task end time, or `null` when any task has none. */
  finishedAt: number | null;
}

/** One parameter of a run: its name and its value as Python shows it. */
export interface ParameterInfo {
  name: string;
  /** The value rendered like Python's `repr`. */
  repr: string;
  /** Python type name (`float`, `int`, `str`, `bool`, `dict`, `list`, …). */
  type: string;
  /** The value as plain JSON where it has one exact JSON form (for exports), else `repr`. */
  json: unknown;
}

export interface ArtifactInfo {
  name: string;
  /** Python type name without the `<class '…'>` wrapper, e.g. `float`, `numpy.ndarray`. */
  type: string;
  /** Pickled size in bytes, as Metaflow records it. */
  size: number;
  sha: string;
  /** The attempt that wrote it. */
  attempt: number;
}

/** An artifact value, decoded and rendered the way Python's `repr` shows it. */
export interface ArtifactValue {
  info: ArtifactInfo;
  /** The `repr`, cut to the requested length. */
  repr: string;
  /** Length of the whole `repr` before any cut, in characters. */
  reprLength: number;
  truncated: boolean;
  /**
   * False when the value is an object the bot cannot show (numpy arrays, pandas frames, the
   * flow's own classes): `repr` then names the class and stored size.
   */
  decoded: boolean;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  /** Epoch ms; `null` for a line without a valid MFLOG header. */
  timestamp: number | null;
  /** The line's text, invalid UTF-8 replaced with U+FFFD. */
  text: string;
}

export interface LogTail {
  stream: LogStream;
  attempt: number;
  lines: LogLine[];
  /** Number of lines in the whole log, or only in the part read when `totalLinesExact` is false. */
  totalLines: number;
  /**
   * False when only the end of a large log was read, so `totalLines` is a lower bound; missing
   * or true when it counts every line.
   */
  totalLinesExact?: boolean;
  /** Size of the stored log in bytes. */
  sizeBytes: number;
  /** True when Metaflow cut the log at its size limit (the truncation marker is kept in `lines`). */
  truncatedByMetaflow: boolean;
}

export type StepKind = 'start' | 'linear' | 'split-static' | 'foreach' | 'join' | 'end' | 'split-switch';

export interface DagStep {
  name: string;
  kind: StepKind;
  next: string[];
  /** For a foreach step: the artifact it iterates over. */
  foreachArtifact?: string;
}

export interface Dag {
  start: string;
  end: string;
  steps: DagStep[];
}

/**
 * What a person can act on. A run the client calls `finished=False` is either `running` or
 * `stale` (no activity since `lastActivityAt` for longer than the configured limit): never
 * call a dead run running.
 */
export type RunState = 'running' | 'succeeded' | 'failed' | 'stale';

export interface FailedTask {
  task: TaskInfo;
  /** The exception as Python formats it (often a traceback), `null` when none was stored or read. */
  exception: string | null;
  /** The reason a stored exception could not be read (the datastore unreachable, a missing blob). */
  exceptionProblem?: string;
}

export interface RunStatus {
  run: RunInfo;
  state: RunState;
  /** Epoch ms of the newest activity seen in the run. */
  lastActivityAt: number;
  stepsDone: number;
  /** Steps in the DAG (without `_parameters`). */
  stepsTotal: number;
  tasksRunning: number;
  tasksFailed: number;
  tasksTotal: number;
  /** The failing tasks, newest first; empty unless `state` is `failed`. */
  failures: FailedTask[];
  /** Milliseconds from the run's start to its end, or to `now` when it has not ended. */
  durationMs: number;
}

export interface StatusOptions {
  /** A run silent for longer than this is `stale`, in milliseconds. */
  staleAfterMs: number;
  /** Current time in epoch ms; a parameter so that tests can fix it. */
  now: number;
}

export interface LogOptions {
  /** Return only the last this many lines; all lines when missing. */
  tailLines?: number;
}

export interface ArtifactValueOptions {
  /** Cut the rendered value after this many characters. */
  maxReprLength?: number;
}

/** Read-only access to Metaflow's records, whichever backend holds them. */
export interface MetaflowReader {
  /** A short human description, e.g. `local datastore at /data/.metaflow`. */
  readonly description: string;

  listFlows(): Promise<FlowInfo[]>;
  /** Runs newest first, as the Python client orders them. */
  listRuns(flow: string, filter?: RunFilter): Promise<RunInfo[]>;
  /**
   * The same runs in the same order as `listRuns`, yielded one at a time, so that an export of
   * a long history holds only the runs in flight. Optional: without it, exports call `listRuns`
   * and hold the flow's whole `RunInfo` list while they write.
   */
  iterateRuns?(flow: string, filter?: RunFilter): AsyncIterable<RunInfo>;
  getRun(flow: string, runId: string): Promise<RunInfo>;
  /** The newest run matching the filter, `null` when none does. */
  latestRun(flow: string, filter?: Omit<RunFilter, 'limit'>): Promise<RunInfo | null>;
  /** The newest successful run matching the filter, `null` when none does. */
  latestSuccessfulRun(flow: string, filter?: Omit<RunFilter, 'limit'>): Promise<RunInfo | null>;

  /** Steps that have started, newest first, without the hidden `_parameters` step. */
  listSteps(flow: string, runId: string): Promise<StepInfo[]>;
  /** Tasks of a step, newest first. */
  listTasks(flow: string, runId: string, step: string): Promise<TaskInfo[]>;
  getTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskInfo>;

  getParameters(flow: string, runId: string): Promise<ParameterInfo[]>;
  getDag(flow: string, runId: string): Promise<Dag>;
  getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus>;

  /** Public artifacts (names not starting with `_`) of the task's current attempt, by name. */
  listArtifacts(flow: string, runId: string, step: string, taskId: string): Promise<ArtifactInfo[]>;
  readArtifact(
    flow: string,
    runId: string,
    step: string,
    taskId: string,
    name: string,
    options?: ArtifactValueOptions,
  ): Promise<ArtifactValue>;

  /** The task's log for its current attempt, both sources merged by timestamp. */
  readLog(
    flow: string,
    runId: string,
    step: string,
    taskId: string,
    stream: LogStream,
    options?: LogOptions,
  ): Promise<LogTail>;
}
