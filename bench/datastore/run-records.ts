import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BlobStore } from './blob-store.ts';
import { toPythonJson, type PythonJson } from './python-json.ts';
import type { SeededRandom } from './seeded-random.ts';

/** Metaflow and Python versions written into the records, those of the fixture datastore. */
export const metaflowVersion = '2.19.38';
export const pythonVersion = '3.11.2';
export const pythonVersionLong = '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]';

/** Destination of a generation: the folder written to and the datastore path the records name. */
export interface GenerationTarget {
  /** The `.metaflow` folder the files are written into. */
  datastore: string;
  /**
   * The `.metaflow` path written into `ds-root` metadata and artifact `location`s: where the
   * datastore ends up, which differs from `datastore` while it is written elsewhere first.
   */
  recordedDatastore: string;
}

/** Fields that every record of one run repeats: its place, its user and its tags. */
export interface RunContext extends GenerationTarget {
  flow: string;
  runId: string;
  user: string;
  tags: readonly string[];
  /** Name of the flow's Python file, for the `script-name` metadata. */
  scriptName: string;
  blobs: BlobStore;
  random: SeededRandom;
}

/** System tags as the local metadata provider records them. */
export function systemTags(run: RunContext): string[] {
  return [`metaflow_version:${metaflowVersion}`, 'runtime:dev', `user:${run.user}`, `python_version:${pythonVersion}`];
}

/** Writes `<Flow>/_meta/_self.json` and `latest_run`, the flow-level records. */
export function writeFlowRecords(datastore: string, flow: string, createdAt: number, latestRunId: string): void {
  writeSelfRecord(path.join(datastore, flow, '_meta', '_self.json'), { flow_id: flow, ts_epoch: createdAt });
  writeFileSync(path.join(datastore, flow, 'latest_run'), latestRunId);
}

/** Writes `<Flow>/<run>/_meta/_self.json`. */
export function writeRunSelf(run: RunContext, createdAt: number): void {
  writeSelfRecord(path.join(run.datastore, run.flow, run.runId, '_meta', '_self.json'), {
    run_number: run.runId,
    flow_id: run.flow,
    user_name: run.user,
    tags: [...run.tags],
    system_tags: systemTags(run),
    ts_epoch: createdAt,
  });
}

/** Writes `<Flow>/<run>/<step>/_meta/_self.json`, which Metaflow writes with the step's first task. */
export function writeStepSelf(run: RunContext, step: string, createdAt: number): void {
  writeSelfRecord(path.join(run.datastore, run.flow, run.runId, step, '_meta', '_self.json'), {
    run_number: run.runId,
    step_name: step,
    flow_id: run.flow,
    user_name: run.user,
    tags: [...run.tags],
    system_tags: systemTags(run),
    ts_epoch: createdAt,
  });
}

/** Writes a JSON record the way Python's `json.dump` does, into a folder that exists. */
export function writeRecord(file: string, value: PythonJson): void {
  writeFileSync(file, toPythonJson(value));
}

/** Writes a `_meta/_self.json`, creating its folders. */
function writeSelfRecord(file: string, value: PythonJson): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeRecord(file, value);
}
