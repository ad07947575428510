import type { Logger } from '../../logger.ts';
import type { GraphInfo } from '../local/graph-info.ts';
import type { LruCache } from '../lru-cache.ts';
import type { TaskInfo } from '../reader.ts';
import type { ServiceBlobs } from './service-blobs.ts';
import type { ArtifactRow } from './service-records.ts';
import type { MetadataServiceClient } from './service-client.ts';

/** End state of a run, from its end task. */
export interface RunEnd {
  finished: boolean;
  successful: boolean;
  finishedAt: number | null;
  /** Name of the end step, from the `end_step` metadata of the `_parameters` task. */
  endStep: string;
}

/** What the service reader's parts share: the HTTP client, the datastore and the caches. */
export interface ServiceContext {
  client: MetadataServiceClient;
  blobs: ServiceBlobs;
  logger: Logger;
  /** End states of finished runs, by `Flow/run`; they never change. */
  finishedRuns: LruCache<string, RunEnd>;
  /** Task counts by step of finished runs, by `Flow/run`; they never change. */
  finishedTaskCounts: LruCache<string, Map<string, number>>;
  /** Tasks whose newest attempt succeeded, by pathspec; they never change. */
  finishedTasks: LruCache<string, TaskInfo>;
  /** Artifact rows of finished tasks' newest attempts, by pathspec; they never change. */
  artifactRows: LruCache<string, ArtifactRow[]>;
  /** Parsed `_graph_info` by `Flow/run`. */
  graphs: LruCache<string, GraphInfo>;
  /** Ids of `_parameters` tasks by `Flow/run`; a run has one, and it never changes. */
  parametersTasks: LruCache<string, string>;
  /** End step names by `Flow/run`; a run's graph never changes. */
  endSteps: LruCache<string, string>;
}

/** The datastore key of a task folder: `[flow, run, step, task]`. */
export function taskKey(info: { flow: string; runId: string; step: string; id: string }): string[] {
  return [info.flow, info.runId, info.step, info.id];
}
