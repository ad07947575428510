import { constants, type Stats } from 'node:fs';
import { access, lstat, mkdir, readlink, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Finds why files cannot be written into `directory`, which need not exist yet. It checks
 * the directory, or else its nearest existing parent, for a path that is not a directory, a
 * symbolic link to a missing path, or missing write permission. Returns the reason as a
 * clause such as `it is not a directory`, or null when nothing is known to be wrong.
 *
 * NOTE: null is no guarantee. Creating a missing directory can still fail, e.g. under a
 * file system like /proc, and the disk can fill up later.
 */
export async function findOutputDirectoryProblem(directory: string): Promise<string | null> {
  const resolved = path.resolve(directory);
  for (let current = resolved; ; current = path.dirname(current)) {
    const problem = await describeExistingPath(current, resolved);
    if (problem !== undefined) {
      return problem;
    }
    if (path.dirname(current) === current) {
      return null;
    }
  }
}

/** Creates one directory whose parent exists, as `fs.promises.mkdir` without options does. */
export type MakeDirectory = (directory: string) => Promise<unknown>;

/**
 * Creates `directory` and its missing parents, one `makeDirectory` call each.
 *
 * Node's `mkdir(…, { recursive: true })` is not used, because on Linux with Node 20.20 it
 * retries without end when `mkdir` fails with ENOENT although the parent exists, as it does
 * for /proc/nonexistent.
 *
 * @throws the first error of `stat` or `makeDirectory`, or ENOTDIR when a path in the way is not a directory.
 */
export async function createOutputDirectory(directory: string, makeDirectory: MakeDirectory = mkdir): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(directory); ; current = path.dirname(current)) {
    const existing = await statIfPresent(current);
    if (existing !== null) {
      if (!existing.isDirectory()) {
        throw Object.assign(new Error(`ENOTDIR: not a directory, '${current}'`), { code: 'ENOTDIR', path: current });
      }
      break;
    }
    missing.push(current);
    if (path.dirname(current) === current) {
      break;
    }
  }

  for (const missingDirectory of missing.reverse()) {
    await makeDirectory(missingDirectory).catch(async (error: unknown) => {
      // Another process may have made it meanwhile, which is fine when it is a directory.
      if (errorCode(error) !== 'EEXIST' || !(await statIfPresent(missingDirectory))?.isDirectory()) {
        throw error;
      }
    });
  }
}

/**
 * Describes a file-system error as a clause, e.g. `permission was denied`. An error without a
 * clause of its own is quoted, so its code and path stay visible.
 */
export function describeWriteError(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission was denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the device has no space left';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    default:
      return `the system reported "${error instanceof Error ? error.message : String(error)}"`;
  }
}

/**
 * Returns undefined when `current` does not exist (so the caller looks at its parent), null
 * when it is a directory this process can write to, else the problem as a clause.
 */
async function describeExistingPath(current: string, resolved: string): Promise<string | null | undefined> {
  const subject = current === resolved ? 'it' : current;
  let info: Stats;
  try {
    info = await lstat(current);
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : describeWriteError(error);
  }

  if (info.isSymbolicLink()) {
    try {
      info = await stat(current);
    } catch (error) {
      const target = await readlink(current).catch(() => 'a path');
      return errorCode(error) === 'ENOENT' ? `${subject} is a symbolic link to ${target}, which does not exist` : describeWriteError(error);
    }
  }
  if (!info.isDirectory()) {
    return `${subject} is not a directory`;
  }

  try {
    await access(current, constants.W_OK | constants.X_OK);
    return null;
  } catch (error) {
    return describeWriteError(error);
  }
}

async function statIfPresent(target: string): Promise<Stats | null> {
  try {
    return await stat(target);
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      return null;
    }
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
