import { MetaflowError } from '../errors.ts';
import { renderRepr, type PyValue } from '../pickle/index.ts';
import type { ArtifactInfo, ArtifactValue, ArtifactValueOptions } from '../reader.ts';
import { readStoredArtifacts, unwrapTypeName, type StoredArtifact } from './artifact-records.ts';
import { type LocalContext, type TaskPath, taskPathspec } from './local-context.ts';
import { compareCodePoints } from './run-reader.ts';
import { readTaskRecord } from './task-reader.ts';

/**
 * Lists the public artifacts of a task's newest ended attempt, sorted by name. Names come from
 * the artifact records (what the client lists); sha, size and type come from the attempt's
 * `data.json`, so no blob is read.
 */
export async function listTaskArtifacts(context: LocalContext, path: TaskPath): Promise<ArtifactInfo[]> {
  const task = await readTaskRecord(context, path);
  const attempt = task.artifactAttempt;
  if (attempt === null) {
    return [];
  }

  const stored = await readStoredArtifacts(context, path, attempt);
  const names = [...task.artifactNames].filter((name) => !name.startsWith('_')).sort(compareCodePoints);
  return names.map((name) => toArtifactInfo(name, findStored(stored, path, attempt, name), attempt));
}

/**
 * Reads and renders one artifact of the task's newest ended attempt. Private names (`_task_ok`)
 * are allowed, as the client allows them. A value whose pickle is larger than the store's
 * decode limit is described instead of decoded.
 *
 * @throws MetaflowError `not_found` when the task has no such artifact; `corrupt_data` when its
 *   records or blob cannot be read.
 */
export async function readTaskArtifact(context: LocalContext, path: TaskPath, name: string, options: ArtifactValueOptions = {}): Promise<ArtifactValue> {
  const task = await readTaskRecord(context, path);
  const attempt = task.artifactAttempt;
  if (attempt === null || !task.artifactNames.has(name)) {
    throw new MetaflowError('not_found', `Artifact ${name} of task ${taskPathspec(path)} was not found.`);
  }

  const info = toArtifactInfo(name, findStored(await readStoredArtifacts(context, path, attempt), path, attempt, name), attempt);
  if (info.size > context.blobs.maxDecodedPickleBytes) {
    return describeUndecoded(info, 'too large to show');
  }
  const value = await context.blobs.decode(path.flow, info.sha, `Artifact ${name} of task ${taskPathspec(path)}`);
  if (isOpaque(value)) {
    return describeUndecoded(info, 'not shown');
  }

  const rendered = renderRepr(value, options.maxReprLength === undefined ? {} : { maxLength: Math.max(0, options.maxReprLength || 0) });
  return { info, repr: rendered.text, reprLength: rendered.length, truncated: rendered.truncated, decoded: !containsOpaqueValue(value) };
}

function findStored(stored: Map<string, StoredArtifact>, path: TaskPath, attempt: number, name: string): StoredArtifact {
  const entry = stored.get(name);
  if (entry === undefined) {
    throw new MetaflowError('corrupt_data', `Task ${taskPathspec(path)} records artifact ${name} for attempt ${attempt}, but its ${attempt}.data.json does not list it.`);
  }
  return entry;
}

function toArtifactInfo(name: string, stored: StoredArtifact, attempt: number): ArtifactInfo {
  return { name, type: unwrapTypeName(stored.type), size: stored.size, sha: stored.sha, attempt };
}

/** Describes an artifact that is not rendered by its class name and stored size. */
export function describeUndecoded(info: ArtifactInfo, reason: string): ArtifactValue {
  const repr = `<${info.type} object, ${info.size} bytes pickled, ${reason}>`;
  return { info, repr, reprLength: [...repr].length, truncated: false, decoded: false };
}

function isExceptionWrapper(value: PyValue): boolean {
  return value.kind === 'object' && value.module === 'metaflow.exception' && value.qualname === 'MetaflowExceptionWrapper';
}

/** An object of a class the decoder does not model, or a bare class or function reference. */
export function isOpaque(value: PyValue): boolean {
  return (value.kind === 'object' && !isExceptionWrapper(value)) || value.kind === 'global';
}

/** True when a container contains an opaque value, which the repr shows only by its class name. */
export function containsOpaqueValue(root: PyValue): boolean {
  const seen = new Set<PyValue>();
  const pending: PyValue[] = [root];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (isOpaque(value)) {
      return true;
    }
    if (seen.has(value)) {
      continue;
    }
    seen.add(value);
    for (const child of childValues(value)) {
      if (child.kind === 'object' || child.kind === 'global' || isContainer(child)) {
        pending.push(child);
      }
    }
  }
  return false;
}

function isContainer(value: PyValue): boolean {
  return value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' || value.kind === 'frozenset' || value.kind === 'dict';
}

function* childValues(value: PyValue): Generator<PyValue> {
  if (value.kind === 'list' || value.kind === 'tuple' || value.kind === 'set' || value.kind === 'frozenset') {
    yield* value.items;
  } else if (value.kind === 'dict') {
    for (const [key, item] of value.entries) {
      yield key;
      yield item;
    }
  }
}
