import type { Logger } from '../../logger.ts';
import type { BlobStore } from '../blob-store.ts';
import { MetaflowError } from '../errors.ts';
import { containsOpaqueValue, describeUndecoded, isOpaque } from '../local/artifact-reader.ts';
import { unwrapTypeName } from '../local/artifact-records.ts';
import { compareCodePoints } from '../local/run-reader.ts';
import { LruCache } from '../lru-cache.ts';
import { validateFlowName, validateMetaflowName, validateRunPath, validateStepPath, validateTaskPath } from '../names.ts';
import { pythonTypeName, renderRepr, toJsonValue } from '../pickle/index.ts';
import type {
  ArtifactInfo, ArtifactValue, ArtifactValueOptions, Dag, FlowInfo, LogOptions, LogStream, LogTail, MetaflowReader,
  ParameterInfo, RunFilter, RunInfo, RunStatus, StatusOptions, StepInfo, TaskInfo,
} from '../reader.ts';
import { ServiceBlobs, type ServiceBlobLimits } from './service-blobs.ts';
import type { MetadataServiceClient } from './service-client.ts';
import { taskKey, type ServiceContext } from './service-context.ts';
import { readServiceLog } from './service-log-reader.ts';
import { flowPath, taskPath } from './service-paths.ts';
import { parseArtifactRow, parseRows, parseRunRow, type RunRow } from './service-records.ts';
import { fetchRunRow, fetchStepRows, fetchTaskRows, readRunEnd, readRunGraph, toRunInfo } from './run-queries.ts';
import { readServiceRunStatus } from './status-queries.ts';
import { fetchRunMetadata, type RunMetadata } from './run-metadata.ts';
import { fetchArtifactRows, fetchTaskAttempts, fetchTaskRow, pathspecOf, readTaskInfo, readTaskInfos, type TaskAddress } from './task-queries.ts';

/** Options of `ServiceReader`. */
export interface ServiceReaderOptions {
  client: MetadataServiceClient;
  /** Where artifact blobs and logs are: the datastore root (`<sysroot>/.metaflow` or an S3 prefix). */
  blobs: BlobStore;
  logger: Logger;
  /**
   * A run or task whose heartbeat is older than this is stale, in milliseconds; 360,000 by
   * default, the service's `RUN_INACTIVE_CUTOFF_TIME`. The stricter of this and the caller's
   * `staleAfterMs` applies.
   */
  heartbeatCutoffMs?: number;
  /** Finished runs and run graphs kept in memory; 2,000 by default. */
  maxCachedRuns?: number;
  /** Finished tasks kept in memory; 10,000 by default. */
  maxCachedTasks?: number;
  blobLimits?: ServiceBlobLimits;
}

/** Runs fetched per page when a list is read to its end. */
const runPageSize = 100;

/**
 * Reads runs from the Metaflow metadata service and their artifacts and logs from the
 * datastore. Lists are asked for with `_limit` and server-side filters, so the newest few runs
 * cost one request; records that cannot change are cached.
 */
export class ServiceReader implements MetaflowReader {
  readonly description: string;
  readonly #context: ServiceContext;
  readonly #heartbeatCutoffMs: number;

  constructor(options: ServiceReaderOptions) {
    this.description = `Metaflow metadata service at ${options.client.baseUrl}, ${options.blobs.description}`;
    this.#heartbeatCutoffMs = options.heartbeatCutoffMs ?? 360_000;
    this.#context = {
      client: options.client,
      blobs: new ServiceBlobs(options.blobs, options.blobLimits),
      logger: options.logger,
      finishedRuns: new LruCache(options.maxCachedRuns ?? 2_000),
      finishedTaskCounts: new LruCache(options.maxCachedRuns ?? 2_000),
      finishedTasks: new LruCache(options.maxCachedTasks ?? 10_000),
      artifactRows: new LruCache(options.maxCachedRuns ?? 2_000),
      graphs: new LruCache(options.maxCachedRuns ?? 2_000),
      endSteps: new LruCache(options.maxCachedRuns ?? 2_000),
      parametersTasks: new LruCache(options.maxCachedRuns ?? 2_000),
    };
  }

  /** Flows sorted by name. */
  async listFlows(): Promise<FlowInfo[]> {
    const rows = await this.#context.client.getList('/flows');
    const flows = rows.map((row, index) => {
      const parsed = row as { flow_id?: unknown; ts_epoch?: unknown };
      if (typeof parsed.flow_id !== 'string' || typeof parsed.ts_epoch !== 'number') {
        throw new MetaflowError('unavailable', `The Metaflow metadata service sent an invalid flow list row ${index}.`);
      }
      return { name: parsed.flow_id, createdAt: parsed.ts_epoch };
    });
    return flows.sort((left, right) => compareCodePoints(left.name, right.name));
  }

  async listRuns(flow: string, filter: RunFilter = {}): Promise<RunInfo[]> {
    const runs: RunInfo[] = [];
    for await (const run of this.iterateRuns(flow, filter)) {
      runs.push(run);
    }
    return runs;
  }

  /** Pages through the runs newest first with the service's cursors, `limit` rows at most. */
  async *iterateRuns(flow: string, filter: RunFilter = {}): AsyncIterable<RunInfo> {
    validateFlowName(flow);
    const maxRows = filter.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(filter.limit));
    const { query, localTags } = runQuery(filter);
    let seen = 0;
    let matched = 0;
    if (maxRows > 0) {
      // Filtering here means reading past `maxRows` rows until enough of them match.
      const pages = this.#context.client.iteratePages(`${flowPath(flow)}/runs`, query, runPageSize, localTags.length === 0 ? maxRows : Number.POSITIVE_INFINITY);
      for await (const page of pages) {
        const rows = parseRows(page, `run list of ${flow}`, parseRunRow);
        seen += rows.length;
        const matching = rows.filter((row) => localTags.every((tag) => row.tags.includes(tag) || row.systemTags.includes(tag))).slice(0, maxRows - matched);
        matched += matching.length;
        yield* await Promise.all(matching.map((row) => this.#toRunInfo(row)));
        if (matched >= maxRows) {
          break;
        }
      }
    }
    if (seen === 0) {
      await this.#requireFlow(flow);
    }
  }

  async getRun(flow: string, runId: string): Promise<RunInfo> {
    validateRunPath(flow, runId);
    return this.#toRunInfo(await fetchRunRow(this.#context, flow, runId));
  }

  async latestRun(flow: string, filter: Omit<RunFilter, 'limit'> = {}): Promise<RunInfo | null> {
    const [latest] = await this.listRuns(flow, { ...filter, limit: 1 });
    return latest ?? null;
  }

  /** Checks runs newest first, a page at a time, and stops at the first successful one. */
  async latestSuccessfulRun(flow: string, filter: Omit<RunFilter, 'limit'> = {}): Promise<RunInfo | null> {
    for await (const run of this.iterateRuns(flow, filter)) {
      if (run.successful) {
        return run;
      }
    }
    return null;
  }

  /**
   * Lists the steps newest first, each `finishedAt` being the latest end of its tasks. It costs
   * one task list per step, and the run's metadata once for the tasks that are not cached.
   */
  async listSteps(flow: string, runId: string): Promise<StepInfo[]> {
    validateRunPath(flow, runId);
    const steps = (await this.#requireSteps(flow, runId)).filter((step) => !step.name.startsWith('_'));
    const taskRows = await Promise.all(steps.map((step) => fetchTaskRows(this.#context, flow, runId, step.name)));
    const allTasks = await readTaskInfos(this.#context, { flow, runId }, taskRows.flat(), this.#runMetadataOnce(flow, runId));
    const infos = await Promise.all(
      steps.map(async (step) => {
        const tasks = allTasks.filter((task) => task.step === step.name);
        const ends = tasks.map((task) => task.finishedAt);
        const finishedAt = ends.length === 0 || ends.some((end) => end === null) ? null : Math.max(...(ends as number[]));
        return { name: step.name, createdAt: step.createdAt, finishedAt };
      }),
    );
    return infos.sort((left, right) => right.createdAt - left.createdAt || compareCodePoints(right.name, left.name));
  }

  async listTasks(flow: string, runId: string, step: string): Promise<TaskInfo[]> {
    validateStepPath(flow, runId, step);
    const rows = await fetchTaskRows(this.#context, flow, runId, step);
    if (rows.length === 0) {
      await this.#requireStep(flow, runId, step);
    }
    return readTaskInfos(this.#context, { flow, runId }, rows, this.#runMetadataOnce(flow, runId));
  }

  /** Fetches the run's metadata on the first call only, for the tasks of one request. */
  #runMetadataOnce(flow: string, runId: string): () => Promise<RunMetadata> {
    let fetched: Promise<RunMetadata> | null = null;
    return () => (fetched ??= fetchRunMetadata(this.#context, flow, runId));
  }

  async getTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskInfo> {
    const address = this.#address(flow, runId, step, taskId);
    const cached = this.#context.finishedTasks.get(pathspecOf(address));
    return cached ?? readTaskInfo(this.#context, address, await fetchTaskRow(this.#context, address));
  }

  /**
   * Names from `_graph_info`, values from the `_parameters` task's artifacts.
   *
   * NOTE: a run whose `_graph_info` is in neither the service nor the datastore (a run that has
   * only just started) gets `[]`, so a reply may say "no parameters" for a run that declares some.
   */
  async getParameters(flow: string, runId: string): Promise<ParameterInfo[]> {
    validateRunPath(flow, runId);
    const recorded = await this.#readGraph(flow, runId);
    if (recorded === null || recorded.graph.parameterNames.length === 0) {
      return [];
    }
    const { graph, parametersTask } = recorded;
    const address: TaskAddress = { flow, runId, step: '_parameters', taskId: parametersTask };
    const rows = await fetchArtifactRows(this.#context, address);
    const parameters: ParameterInfo[] = [];
    for (const name of graph.parameterNames) {
      const row = rows.find((candidate) => candidate.name === name);
      if (row === undefined) {
        throw new MetaflowError('corrupt_data', `Run ${flow}/${runId} declares parameter ${name}, but its _parameters task has no value for it.`);
      }
      const value = await this.#context.blobs.decode(flow, row.sha, `Parameter ${name} of run ${flow}/${runId}`);
      parameters.push({ name, repr: renderRepr(value).text, type: pythonTypeName(value), json: toJsonValue(value) });
    }
    return parameters;
  }

  /** @throws MetaflowError `unavailable` when the run exists but its graph is not recorded anywhere. */
  async getDag(flow: string, runId: string): Promise<Dag> {
    validateRunPath(flow, runId);
    const recorded = await this.#readGraph(flow, runId);
    if (recorded === null) {
      throw new MetaflowError('unavailable', `The DAG of run ${flow}/${runId} is not recorded yet: its _parameters task has stored no _graph_info.`);
    }
    return recorded.graph.dag;
  }

  async getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    validateRunPath(flow, runId);
    const staleAfterMs = Math.min(options.staleAfterMs, this.#heartbeatCutoffMs);
    return readServiceRunStatus(this.#context, flow, runId, { ...options, staleAfterMs });
  }

  /** Public artifacts of the newest attempt that stored any, by name; sizes and types from its `data.json`. */
  async listArtifacts(flow: string, runId: string, step: string, taskId: string): Promise<ArtifactInfo[]> {
    const address = this.#address(flow, runId, step, taskId);
    const rows = await fetchArtifactRows(this.#context, address);
    if (rows.length === 0) {
      await fetchTaskRow(this.#context, address);
      return [];
    }
    const stored = await this.#context.blobs.readStoredInfo(taskKey({ ...address, id: taskId }), rows[0]?.attempt ?? 0);
    return rows
      .filter((row) => !row.name.startsWith('_'))
      .sort((left, right) => compareCodePoints(left.name, right.name))
      .map((row) => ({ name: row.name, type: unwrapTypeName(stored.get(row.name)?.type ?? 'object'), size: stored.get(row.name)?.size ?? 0, sha: row.sha, attempt: row.attempt }));
  }

  async readArtifact(flow: string, runId: string, step: string, taskId: string, name: string, options: ArtifactValueOptions = {}): Promise<ArtifactValue> {
    const address = this.#address(flow, runId, step, taskId);
    validateMetaflowName('artifact', name);
    const json = await this.#context.client.getObject(`${taskPath(flow, runId, step, taskId)}/artifacts/${encodeURIComponent(name)}`);
    if (json === null) {
      await fetchTaskRow(this.#context, address);
      throw new MetaflowError('not_found', `Artifact ${name} of task ${pathspecOf(address)} was not found.`);
    }
    const row = parseArtifactRow(json, `artifact ${name} of task ${pathspecOf(address)}`);
    const stored = (await this.#context.blobs.readStoredInfo(taskKey({ ...address, id: taskId }), row.attempt)).get(name);
    const info: ArtifactInfo = { name, type: unwrapTypeName(stored?.type ?? 'object'), size: stored?.size ?? 0, sha: row.sha, attempt: row.attempt };
    if (info.size > this.#context.blobs.limits.maxDecodedPickleBytes) {
      return describeUndecoded(info, 'too large to show');
    }
    const value = await this.#context.blobs.decode(flow, row.sha, `Artifact ${name} of task ${pathspecOf(address)}`);
    if (stored === undefined) {
      // The task's `<attempt>.data.json` lacks the artifact (or is gone), so the type comes from the value.
      this.#context.logger.warn('artifact missing from the datastore index', { task: pathspecOf(address), artifact: name, attempt: row.attempt });
      info.type = pythonTypeName(value);
    }
    if (isOpaque(value)) {
      return describeUndecoded(info, 'not shown');
    }
    const rendered = renderRepr(value, options.maxReprLength === undefined ? {} : { maxLength: Math.max(0, options.maxReprLength || 0) });
    return { info, repr: rendered.text, reprLength: rendered.length, truncated: rendered.truncated, decoded: !containsOpaqueValue(value) };
  }

  /** The current attempt comes from the task metadata; the bytes from the datastore. */
  async readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, options?: LogOptions): Promise<LogTail> {
    const address = this.#address(flow, runId, step, taskId);
    if (stream !== 'stdout' && stream !== 'stderr') {
      throw new MetaflowError('invalid_name', `Log stream ${JSON.stringify(stream)} is invalid. It must be "stdout" or "stderr".`);
    }
    const attempts = await fetchTaskAttempts(this.#context, address);
    if (attempts.newestRowAt === null) {
      await fetchTaskRow(this.#context, address);
    }
    // NOTE: the runtime stores a task's logs just after the task records `attempt_ok`, so for a
    // moment a finished task reads as missing its log.
    const attemptEnded = attempts.state !== 'running';
    return readServiceLog(this.#context.blobs.store, taskKey({ ...address, id: taskId }), attempts.currentAttempt, stream, { ...options, attemptEnded });
  }

  /** The run's graph, `null` when it is not recorded; `not_found` only when the run itself is missing. */
  async #readGraph(flow: string, runId: string): Promise<Awaited<ReturnType<typeof readRunGraph>>> {
    const [graph] = await Promise.all([readRunGraph(this.#context, flow, runId), fetchRunRow(this.#context, flow, runId)]);
    return graph;
  }

  async #toRunInfo(row: RunRow): Promise<RunInfo> {
    return toRunInfo(row, await readRunEnd(this.#context, row.flow, row.id));
  }

  async #requireFlow(flow: string): Promise<void> {
    if ((await this.#context.client.getObject(flowPath(flow))) === null) {
      throw new MetaflowError('not_found', `Flow ${flow} was not found.`);
    }
  }

  async #requireSteps(flow: string, runId: string): Promise<Awaited<ReturnType<typeof fetchStepRows>>> {
    const steps = await fetchStepRows(this.#context, flow, runId);
    if (steps.length === 0) {
      await fetchRunRow(this.#context, flow, runId);
    }
    return steps;
  }

  async #requireStep(flow: string, runId: string, step: string): Promise<void> {
    const steps = await this.#requireSteps(flow, runId);
    if (!steps.some((candidate) => candidate.name === step)) {
      throw new MetaflowError('not_found', `Step ${flow}/${runId}/${step} was not found.`);
    }
  }

  #address(flow: string, runId: string, step: string, taskId: string): TaskAddress {
    validateTaskPath(flow, runId, step, taskId);
    return { flow, runId, step, taskId };
  }
}

/**
 * Builds the service's filters: `user:eq=` on the `user:<name>` system tag, `_tags:all=` for
 * tags. The filter grammar reads a comma as "or" and `null` as "no value", with no way to
 * escape either. So a user or tag with a comma, or equal to `null`, is matched here instead:
 * the tag `user:<name>` or the tag itself must be among the run's user and system tags.
 */
function runQuery(filter: RunFilter): { query: Record<string, string>; localTags: string[] } {
  const query: Record<string, string> = {};
  const localTags: string[] = [];
  if (filter.user !== undefined) {
    if (isFilterSafe(filter.user)) {
      query['user:eq'] = filter.user;
    } else {
      localTags.push(`user:${filter.user}`);
    }
  }
  const serverTags = (filter.tags ?? []).filter(isFilterSafe);
  localTags.push(...(filter.tags ?? []).filter((tag) => !isFilterSafe(tag)));
  if (serverTags.length > 0) {
    query['_tags:all'] = serverTags.join(',');
  }
  return { query, localTags };
}

function isFilterSafe(value: string): boolean {
  return !value.includes(',') && value.toLowerCase() !== 'null';
}
