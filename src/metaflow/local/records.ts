/**
 * The JSON records of the local metadata provider (Metaflow 2.19.38), checked for the fields
 * this reader uses. A record without them is reported as `corrupt_data` naming the file,
 * never read as if the field were empty.
 */
import { MetaflowError } from '../errors.ts';

/** A `_meta/_self.json` of a flow, run, step or task. */
export interface SelfRecord {
  /** Creation time in epoch milliseconds. */
  tsEpoch: number;
  /** User tags. Step and task records keep a stale copy, so only the run's are used. */
  tags: string[];
  systemTags: string[];
}

/** A `sysmeta_<field>_<ms>.json` metadata event. */
export interface MetadataRecord {
  field: string;
  /** A string, except for `foreach-stack`, which is a list. */
  value: unknown;
  tsEpoch: number;
  /** `attempt_id:<n>` for events written by an attempt. */
  tags: string[];
}

/** A `<attempt>_artifact_<name>.json` record. */
export interface ArtifactRecord {
  name: string;
  /** Content address of the blob under `<Flow>/data/`. */
  sha: string;
  /** When the attempt that wrote it finished, in epoch milliseconds. */
  tsEpoch: number;
}

/** Blob names are SHA-1 hex digests. Anything else could name a path, so it is rejected. */
const shaPattern = /^[0-9a-f]{40}$/;

/** Checks a `_self.json` record. `where` names the file in messages. */
export function parseSelfRecord(json: unknown, where: string): SelfRecord {
  const record = expectObject(json, where);
  return {
    tsEpoch: expectNumber(record['ts_epoch'], where, 'ts_epoch'),
    tags: expectStringList(record['tags'] ?? [], where, 'tags'),
    systemTags: expectStringList(record['system_tags'] ?? [], where, 'system_tags'),
  };
}

/** Checks a metadata event record. */
export function parseMetadataRecord(json: unknown, where: string): MetadataRecord {
  const record = expectObject(json, where);
  return {
    field: expectString(record['field_name'], where, 'field_name'),
    value: record['value'],
    tsEpoch: expectNumber(record['ts_epoch'], where, 'ts_epoch'),
    tags: expectStringList(record['tags'] ?? [], where, 'tags'),
  };
}

/** Checks an artifact record, including that its `sha` is a hex digest. */
export function parseArtifactRecord(json: unknown, where: string): ArtifactRecord {
  const record = expectObject(json, where);
  const sha = expectString(record['sha'], where, 'sha');
  if (!shaPattern.test(sha)) {
    throw corrupt(where, `its sha ${JSON.stringify(sha.slice(0, 80))} is not a SHA-1 hex digest`);
  }
  return {
    name: expectString(record['name'], where, 'name'),
    sha,
    tsEpoch: expectNumber(record['ts_epoch'], where, 'ts_epoch'),
  };
}

/** Checks that a blob key taken from a `data.json` is a hex digest. */
export function checkSha(sha: unknown, where: string): string {
  if (typeof sha !== 'string' || !shaPattern.test(sha)) {
    throw corrupt(where, `a sha is not a SHA-1 hex digest`);
  }
  return sha;
}

/** Returns `json` as a plain object or throws `corrupt_data`. */
export function expectObject(json: unknown, where: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw corrupt(where, 'it is not a JSON object');
  }
  return json as Record<string, unknown>;
}

/** Returns a string field or throws `corrupt_data`. */
export function expectString(value: unknown, where: string, field: string): string {
  if (typeof value !== 'string') {
    throw corrupt(where, `its "${field}" is not a string`);
  }
  return value;
}

/** Returns a finite number field or throws `corrupt_data`. */
export function expectNumber(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw corrupt(where, `its "${field}" is not a number`);
  }
  return value;
}

function expectStringList(value: unknown, where: string, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw corrupt(where, `its "${field}" is not a list of strings`);
  }
  return value as string[];
}

/** Builds the `corrupt_data` error for a record file. */
export function corrupt(where: string, problem: string): MetaflowError {
  return new MetaflowError('corrupt_data', `${where} in the datastore is not as Metaflow writes it, because ${problem}.`);
}
