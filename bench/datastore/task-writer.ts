/**
 * Writes one task folder with every file Metaflow 2.19.38's local runtime, local metadata
 * provider and local datastore write for a task whose single attempt (0) succeeded.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PyValue } from '../../src/metaflow/pickle/index.ts';
import type { StoredBlob } from './blob-store.ts';
import { formatMflogLines, type PrintedLine } from './mflog-lines.ts';
import { PythonFloat, type PythonJson } from './python-json.ts';
import { metaflowVersion, pythonVersion, pythonVersionLong, systemTags, writeRecord, type RunContext } from './run-records.ts';

/** A task to write. Times are epoch milliseconds, with a fraction where Metaflow keeps microseconds. */
export interface TaskPlan {
  step: string;
  taskId: string;
  /** When the runtime allocated the task id and wrote `_self.json`. */
  allocatedAt: number;
  /** When the task process started its attempt. */
  startedAt: number;
  /** When the attempt ended; the artifact records are written a millisecond later. */
  finishedAt: number;
  /** Artifacts in the order `data.json` lists them, private ones included. */
  artifacts: readonly (readonly [string, PyValue])[];
  stdout: readonly PrintedLine[];
  stderr: readonly PrintedLine[];
  /** For a task inside a foreach: its `foreach-stack` and `foreach-execution-path` metadata values. */
  foreach?: { stack: readonly string[]; executionPath: string };
  /** True for a task whose attempt has started and not ended: no artifacts, verdict or logs yet. */
  running?: boolean;
}

/** The parameters task `_parameters/0`: no process of its own, so no logs and no attempt metadata. */
export interface ParametersTaskPlan {
  allocatedAt: number;
  artifacts: readonly (readonly [string, PyValue])[];
  startStep: string;
  endStep: string;
}

/** The metadata fields the runtime writes when it allocates a task and again when an attempt starts. */
const environmentFields = ['user', 'runtime', 'python_version', 'metaflow_version', 'script-name'] as const;

/** Writes a task that ran and succeeded on its first attempt, in the order Metaflow writes the files. */
export function writeTask(run: RunContext, plan: TaskPlan): void {
  const folder = taskFolder(run, plan.step, plan.taskId);
  const allocatedAt = Math.floor(plan.allocatedAt);
  writeTaskSelf(run, folder, plan.step, plan.taskId, allocatedAt);
  writeEnvironmentMetadata(run, folder, plan.step, plan.taskId, allocatedAt);
  writeAttemptStart(run, folder, plan);
  if (plan.running === true) {
    return;
  }
  writeAttemptEnd(run, folder, plan);

  // The runtime writes these after the task process exits.
  writeRecord(path.join(folder, '0.runtime'), { return_code: 0, killed: false, success: true });
  writeFileSync(path.join(folder, '0.runtime_stdout.log'), formatMflogLines(plan.stdout, run.random));
  writeFileSync(path.join(folder, '0.runtime_stderr.log'), formatMflogLines(plan.stderr, run.random));
}

function writeAttemptStart(run: RunContext, folder: string, plan: TaskPlan): void {
  writeRecord(path.join(folder, '0.attempt.json'), { time: new PythonFloat(plan.startedAt / 1000) });
  writeEnvironmentMetadata(run, folder, plan.step, plan.taskId, Math.floor(plan.startedAt));

  const at = Math.floor(plan.startedAt) + 1;
  const fields: [string, PythonJson][] = [
    ['attempt', '0'],
    ['ds-type', 'local'],
    ['ds-root', run.recordedDatastore],
    ['origin-run-id', 'None'],
  ];
  if (plan.foreach !== undefined) {
    fields.push(['foreach-stack', [...plan.foreach.stack]], ['foreach-execution-path', plan.foreach.executionPath]);
  }
  for (const [field, value] of fields) {
    writeMetadata(run, folder, { step: plan.step, taskId: plan.taskId, field, type: field, value, at, attemptTag: true });
  }
  writeRecord(path.join(folder, '0.task_begin'), { code_package_metadata: '', code_package_sha: null, code_package_ds: null, code_package_url: null, retry_count: 0 });
}

function writeAttemptEnd(run: RunContext, folder: string, plan: TaskPlan): void {
  const finishedAt = Math.floor(plan.finishedAt);
  const blobs = storeArtifacts(run, plan.artifacts, finishedAt);
  writeRecord(path.join(folder, '0.data.json'), dataJson(blobs));

  const event = { step: plan.step, taskId: plan.taskId, attemptTag: true };
  writeMetadata(run, folder, { ...event, field: 'attempt_ok', type: 'internal_attempt_status', value: 'True', at: finishedAt });
  writeMetadata(run, folder, { ...event, field: 'attempt-done', type: 'attempt-done', value: '0', at: finishedAt + 1 });
  writeArtifactRecords(run, folder, plan.step, plan.taskId, blobs, finishedAt + 1);
  writeRecord(path.join(folder, '0.DONE.lock'), '');
  writeRecord(path.join(folder, '0.task_end'), {});
}

/** Writes `_parameters/0`, whose artifacts are the run's parameter values and `_graph_info`. */
export function writeParametersTask(run: RunContext, plan: ParametersTaskPlan): void {
  const folder = taskFolder(run, '_parameters', '0');
  const at = Math.floor(plan.allocatedAt);
  writeTaskSelf(run, folder, '_parameters', '0', at);
  writeEnvironmentMetadata(run, folder, '_parameters', '0', at);
  writeRecord(path.join(folder, '0.attempt.json'), { time: new PythonFloat((plan.allocatedAt + 1.2) / 1000) });

  const blobs = storeArtifacts(run, plan.artifacts, at + 2);
  writeRecord(path.join(folder, '0.data.json'), dataJson(blobs));
  writeMetadata(run, folder, { step: '_parameters', taskId: '0', field: 'attempt-done', type: 'attempt-done', value: '0', at: at + 2, attemptTag: true });
  writeArtifactRecords(run, folder, '_parameters', '0', blobs, at + 2);
  writeRecord(path.join(folder, '0.DONE.lock'), '');

  for (const [field, value] of [['start_step', plan.startStep], ['end_step', plan.endStep]] as const) {
    writeMetadata(run, folder, { step: '_parameters', taskId: '0', field, type: 'graph_structure', value, at: at + 4, attemptTag: false });
  }
}

function taskFolder(run: RunContext, step: string, taskId: string): string {
  const folder = path.join(run.datastore, run.flow, run.runId, step, taskId);
  mkdirSync(path.join(folder, '_meta'), { recursive: true });
  return folder;
}

function writeTaskSelf(run: RunContext, folder: string, step: string, taskId: string, at: number): void {
  writeRecord(path.join(folder, '_meta', '_self.json'), {
    run_number: run.runId,
    step_name: step,
    task_id: taskId,
    flow_id: run.flow,
    user_name: run.user,
    tags: [...run.tags],
    system_tags: systemTags(run),
    ts_epoch: at,
  });
}

function writeEnvironmentMetadata(run: RunContext, folder: string, step: string, taskId: string, at: number): void {
  const values: Record<(typeof environmentFields)[number], string> = {
    user: run.user,
    runtime: 'dev',
    python_version: pythonVersion,
    metaflow_version: metaflowVersion,
    'script-name': run.scriptName,
  };
  for (const field of environmentFields) {
    writeMetadata(run, folder, { step, taskId, field, type: field, value: values[field], at, attemptTag: true });
  }
}

interface MetadataEvent {
  step: string;
  taskId: string;
  field: string;
  type: string;
  value: PythonJson;
  at: number;
  /** False for the graph-structure fields, which carry no `attempt_id` tag. */
  attemptTag: boolean;
}

/** Writes a `sysmeta_<field>_<ms>.json` metadata event. */
function writeMetadata(run: RunContext, folder: string, event: MetadataEvent): void {
  writeRecord(path.join(folder, '_meta', `sysmeta_${event.field}_${event.at}.json`), {
    flow_id: run.flow,
    run_number: run.runId,
    step_name: event.step,
    task_id: event.taskId,
    field_name: event.field,
    type: event.type,
    value: event.value,
    tags: event.attemptTag ? ['attempt_id:0'] : [],
    user_name: run.user,
    ts_epoch: event.at,
  });
}

function storeArtifacts(run: RunContext, artifacts: TaskPlan['artifacts'], at: number): [string, StoredBlob][] {
  return artifacts.map(([name, value]) => [name, run.blobs.store(value, at)]);
}

/** Builds the attempt's `data.json`, the datastore's list of its artifacts. */
function dataJson(blobs: readonly [string, StoredBlob][]): PythonJson {
  return {
    datastore: 'local',
    version: '1.0',
    attempt: 0,
    python_version: pythonVersionLong,
    objects: Object.fromEntries(blobs.map(([name, blob]) => [name, blob.sha])),
    info: Object.fromEntries(blobs.map(([name, blob]) => [name, { size: blob.size, type: blob.type, encoding: 'pickle-v4', serializer_info: { source: 'metaflow' } }])),
  };
}

/** Writes one `0_artifact_<name>.json` per artifact, as the metadata provider registers them. */
function writeArtifactRecords(run: RunContext, folder: string, step: string, taskId: string, blobs: readonly [string, StoredBlob][], at: number): void {
  for (const [name, blob] of blobs) {
    writeRecord(path.join(folder, '_meta', `0_artifact_${name}.json`), {
      run_number: run.runId,
      step_name: step,
      task_id: taskId,
      attempt_id: 0,
      name,
      content_type: 'pickle-v4',
      type: 'metaflow.artifact',
      sha: blob.sha,
      ds_type: 'local',
      location: `:root:${run.recordedDatastore}`,
      flow_id: run.flow,
      user_name: run.user,
      tags: [...run.tags],
      system_tags: systemTags(run),
      ts_epoch: at,
    });
  }
}
