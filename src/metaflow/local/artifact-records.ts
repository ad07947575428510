import { MetaflowError } from '../errors.ts';
import { type LocalContext, type TaskPath, taskPathspec, taskSegments } from './local-context.ts';
import { checkSha, expectNumber, expectObject, expectString, parseArtifactRecord, type ArtifactRecord } from './records.ts';

/** One entry of `<attempt>.data.json`: where the blob is and what Metaflow recorded about it. */
export interface StoredArtifact {
  sha: string;
  /** Pickled size in bytes. */
  size: number;
  /** `str(type(value))` as Metaflow recorded it, e.g. `<class 'float'>`. */
  type: string;
}

/** Reads `<attempt>_artifact_<name>.json`, which the `_meta` listing showed to exist. */
export async function readArtifactRecord(context: LocalContext, path: TaskPath, attempt: number, name: string): Promise<ArtifactRecord> {
  const file = `${attempt}_artifact_${name}.json`;
  const where = `${taskPathspec(path)}/_meta/${file}`;
  const json = await context.files.readJson([...taskSegments(path), '_meta', file]);
  if (json === null) {
    throw new MetaflowError('corrupt_data', `${where} disappeared while the task was being read.`);
  }
  return parseArtifactRecord(json, where);
}

/** Decodes an artifact that Metaflow always stores as a bool (`_task_ok`, `_success`). */
export async function readBoolArtifact(context: LocalContext, path: TaskPath, record: ArtifactRecord): Promise<boolean> {
  const where = `Artifact ${record.name} of task ${taskPathspec(path)}`;
  const value = await context.blobs.decode(path.flow, record.sha, where);
  if (value.kind !== 'bool') {
    throw new MetaflowError('corrupt_data', `${where} contains a ${value.kind}, but Metaflow stores a bool there.`);
  }
  return value.value;
}

/**
 * Reads `<attempt>.data.json`, the datastore's list of an attempt's artifacts with their
 * sizes and types, which Metaflow writes before it marks the attempt done.
 *
 * @throws MetaflowError `corrupt_data` when the file is missing (the metadata marks the
 *   attempt as done, so the task is half-written) or lacks `objects` or `info`.
 */
export async function readStoredArtifacts(context: LocalContext, path: TaskPath, attempt: number): Promise<Map<string, StoredArtifact>> {
  const where = `${taskPathspec(path)}/${attempt}.data.json`;
  const json = await context.files.readJson([...taskSegments(path), `${attempt}.data.json`]);
  if (json === null) {
    throw new MetaflowError('corrupt_data', `Task ${taskPathspec(path)} is half-written, because attempt ${attempt} is marked done but ${attempt}.data.json is missing.`);
  }

  const data = expectObject(json, where);
  const objects = expectObject(data['objects'], `${where} "objects"`);
  const info = expectObject(data['info'], `${where} "info"`);
  const artifacts = new Map<string, StoredArtifact>();
  for (const [name, sha] of Object.entries(objects)) {
    const entry = expectObject(info[name], `${where} "info" of ${name}`);
    artifacts.set(name, {
      sha: checkSha(sha, `${where} "objects"`),
      size: expectNumber(entry['size'], `${where} "info" of ${name}`, 'size'),
      type: expectString(entry['type'], `${where} "info" of ${name}`, 'type'),
    });
  }
  return artifacts;
}

/** Turns Metaflow's `<class 'numpy.ndarray'>` into `numpy.ndarray`; other forms are kept as they are. */
export function unwrapTypeName(recorded: string): string {
  const match = /^<(?:class|type) '(.+)'>$/.exec(recorded);
  return match?.[1] ?? recorded;
}
