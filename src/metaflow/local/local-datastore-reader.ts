import path from 'node:path';
import type { Logger } from '../../logger.ts';
import { MetaflowError } from '../errors.ts';
import { LruCache } from '../lru-cache.ts';
import { validateFlowName, validateMetaflowName, validateRunPath, validateStepPath, validateTaskPath } from '../names.ts';
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
} from '../reader.ts';
import { listTaskArtifacts, readTaskArtifact } from './artifact-reader.ts';
import { ArtifactStore, defaultArtifactStoreLimits, type ArtifactStoreLimits } from './artifact-store.ts';
import { DatastoreFiles } from './datastore-files.ts';
import { localDatastoreFolder } from './datastore-folder.ts';
import { listFlows } from './flow-reader.ts';
import { readGraphInfo } from './graph-reader.ts';
import type { LocalContext, TaskPath } from './local-context.ts';
import { readTaskLog } from './log-reader.ts';
import { readRunParameters } from './parameter-reader.ts';
import { defaultReadConcurrency, mapConcurrently } from './map-concurrently.ts';
import { iterateFlowRuns, readRunEnd, readRunEntry, toRunInfo, type RunEntry } from './run-reader.ts';
import { readRunStatus } from './run-status-reader.ts';
import { listStepEntries, listTaskRecords, toStepInfo } from './step-reader.ts';
import { readTaskRecord } from './task-reader.ts';

/** Options of `LocalDatastoreReader`. */
export interface LocalDatastoreReaderOptions {
  /** The folder that contains `.metaflow` (Metaflow's `METAFLOW_DATASTORE_SYSROOT_LOCAL`). */
  root: string;
  logger: Logger;
  /** Finished tasks whose records are kept in memory; 10,000 by default. */
  maxCachedTasks?: number;
  /** Finished runs whose end state is kept, and runs whose graph is kept; 2,000 by default. */
  maxCachedRuns?: number;
  /** Limits of the decoded-artifact cache and of the largest artifact decoded. */
  artifactLimits?: ArtifactStoreLimits;
}

/**
 * Reads a local Metaflow datastore (the `.metaflow` folder written by the local metadata
 * provider and local datastore) directly, and returns what Metaflow's Python client 2.19.38
 * returns in `namespace(None)`. It only reads. Every name is validated before it becomes a path,
 * and nothing outside the `.metaflow` folder is read, even through symbolic links.
 *
 * Records that cannot change (finished tasks and runs, graphs, small artifact values) are
 * cached; everything else is read again on each call, so a running flow shows progress.
 */
export class LocalDatastoreReader implements MetaflowReader {
  readonly description: string;
  readonly #context: LocalContext;

  constructor(options: LocalDatastoreReaderOptions) {
    const files = new DatastoreFiles(path.join(options.root, localDatastoreFolder));
    this.description = `local datastore at ${files.root}`;
    this.#context = {
      files,
      blobs: new ArtifactStore(files, options.artifactLimits ?? defaultArtifactStoreLimits),
      finishedTasks: new LruCache(options.maxCachedTasks ?? 10_000),
      finishedRuns: new LruCache(options.maxCachedRuns ?? 2_000),
      graphs: new LruCache(options.maxCachedRuns ?? 2_000),
      logger: options.logger,
    };
  }

  /** Flows with at least one run, sorted by name (the client lists only those). */
  listFlows(): Promise<FlowInfo[]> {
    return listFlows(this.#context);
  }

  async listRuns(flow: string, filter: RunFilter = {}): Promise<RunInfo[]> {
    validateFlowName(flow);
    const limit = filter.limit === undefined ? Infinity : Math.max(0, filter.limit);
    const selected: RunEntry[] = [];
    if (limit > 0) {
      for await (const entry of iterateFlowRuns(this.#context, flow, filter)) {
        selected.push(entry);
        if (selected.length >= limit) {
          break;
        }
      }
    }
    return mapConcurrently(selected, defaultReadConcurrency, (entry) => this.#toRunInfo(flow, entry));
  }

  /** Runs newest first, one at a time, reading each run's end state only when it is reached. */
  async *iterateRuns(flow: string, filter: RunFilter = {}): AsyncIterable<RunInfo> {
    validateFlowName(flow);
    let count = 0;
    for await (const entry of iterateFlowRuns(this.#context, flow, filter)) {
      if (filter.limit !== undefined && count >= filter.limit) {
        return;
      }
      count += 1;
      yield await this.#toRunInfo(flow, entry);
    }
  }

  async getRun(flow: string, runId: string): Promise<RunInfo> {
    validateRunPath(flow, runId);
    return this.#toRunInfo(flow, await readRunEntry(this.#context, flow, runId));
  }

  async latestRun(flow: string, filter: Omit<RunFilter, 'limit'> = {}): Promise<RunInfo | null> {
    const [latest] = await this.listRuns(flow, { ...filter, limit: 1 });
    return latest ?? null;
  }

  /** Checks runs newest first and stops at the first successful one, as the client does. */
  async latestSuccessfulRun(flow: string, filter: Omit<RunFilter, 'limit'> = {}): Promise<RunInfo | null> {
    validateFlowName(flow);
    for await (const entry of iterateFlowRuns(this.#context, flow, filter)) {
      const run = await this.#toRunInfo(flow, entry);
      if (run.successful) {
        return run;
      }
    }
    return null;
  }

  async listSteps(flow: string, runId: string): Promise<StepInfo[]> {
    validateRunPath(flow, runId);
    await readRunEntry(this.#context, flow, runId);
    const entries = await listStepEntries(this.#context, flow, runId);
    return Promise.all(entries.map(async (entry) => toStepInfo(entry, await listTaskRecords(this.#context, flow, runId, entry.name))));
  }

  async listTasks(flow: string, runId: string, step: string): Promise<TaskInfo[]> {
    validateStepPath(flow, runId, step);
    await readRunEntry(this.#context, flow, runId);
    const tasks = await listTaskRecords(this.#context, flow, runId, step);
    return tasks.map((task) => task.info);
  }

  async getTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskInfo> {
    const path = this.#taskPath(flow, runId, step, taskId);
    await readRunEntry(this.#context, flow, runId);
    return (await readTaskRecord(this.#context, path)).info;
  }

  async getParameters(flow: string, runId: string): Promise<ParameterInfo[]> {
    validateRunPath(flow, runId);
    await readRunEntry(this.#context, flow, runId);
    return readRunParameters(this.#context, flow, runId);
  }

  async getDag(flow: string, runId: string): Promise<Dag> {
    validateRunPath(flow, runId);
    await readRunEntry(this.#context, flow, runId);
    return (await readGraphInfo(this.#context, flow, runId)).dag;
  }

  async getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    const run = await this.getRun(flow, runId);
    return readRunStatus(this.#context, run, options);
  }

  async listArtifacts(flow: string, runId: string, step: string, taskId: string): Promise<ArtifactInfo[]> {
    const path = this.#taskPath(flow, runId, step, taskId);
    await readRunEntry(this.#context, flow, runId);
    return listTaskArtifacts(this.#context, path);
  }

  async readArtifact(flow: string, runId: string, step: string, taskId: string, name: string, options?: ArtifactValueOptions): Promise<ArtifactValue> {
    const path = this.#taskPath(flow, runId, step, taskId);
    validateMetaflowName('artifact', name);
    await readRunEntry(this.#context, flow, runId);
    return readTaskArtifact(this.#context, path, name, options);
  }

  async readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, options?: LogOptions): Promise<LogTail> {
    const path = this.#taskPath(flow, runId, step, taskId);
    if (stream !== 'stdout' && stream !== 'stderr') {
      throw new MetaflowError('invalid_name', `Log stream ${JSON.stringify(stream)} is invalid. It must be "stdout" or "stderr".`);
    }
    await readRunEntry(this.#context, flow, runId);
    return readTaskLog(this.#context, path, stream, options);
  }

  async #toRunInfo(flow: string, entry: RunEntry): Promise<RunInfo> {
    return toRunInfo(flow, entry, await readRunEnd(this.#context, flow, entry.id));
  }

  #taskPath(flow: string, runId: string, step: string, taskId: string): TaskPath {
    validateTaskPath(flow, runId, step, taskId);
    return { flow, runId, step, taskId };
  }
}
