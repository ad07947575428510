import type { Logger } from '../../logger.ts';
import type { LruCache } from '../lru-cache.ts';
import type { ArtifactStore } from './artifact-store.ts';
import type { DatastoreFiles } from './datastore-files.ts';
import type { GraphInfo } from './graph-info.ts';
import type { RunEnd } from './run-reader.ts';
import type { TaskRecord } from './task-reader.ts';

/** State shared by the local readers: the files, decoded blobs, caches of records that cannot change, and the logger. */
export interface LocalContext {
  files: DatastoreFiles;
  blobs: ArtifactStore;
  /** Task records whose task finished (`_task_ok` is true), by pathspec. */
  finishedTasks: LruCache<string, TaskRecord>;
  /** End states of finished runs, by `Flow/run`. */
  finishedRuns: LruCache<string, RunEnd>;
  /** Parsed `_graph_info` by `Flow/run`; written once when the run starts. */
  graphs: LruCache<string, GraphInfo>;
  logger: Logger;
}

/** The parts of a task pathspec, already validated. */
export interface TaskPath {
  flow: string;
  runId: string;
  step: string;
  taskId: string;
}

/** Returns `Flow/run/step/task`. */
export function taskPathspec(path: TaskPath): string {
  return `${path.flow}/${path.runId}/${path.step}/${path.taskId}`;
}

/** Returns the folder segments of a task. */
export function taskSegments(path: TaskPath): string[] {
  return [path.flow, path.runId, path.step, path.taskId];
}
