import { once } from 'node:events';
import type { Stats } from 'node:fs';
import { lstat, open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ExportError } from './export-error.ts';

/** The destination of an export: a file that appears only when complete, or a stream. */
export interface OutputSink {
  write(chunk: string): Promise<void>;
  /** Completes the output: a file is moved into place. */
  commit(): Promise<void>;
  /** Drops what was written to a file; text already sent to a stream stays sent. */
  abort(): Promise<void>;
}

/** Writes to a stream such as stdout, waiting for `drain` when its buffer is full. */
export function streamSink(stream: NodeJS.WritableStream): OutputSink {
  return {
    async write(chunk) {
      if (!stream.write(chunk)) {
        await once(stream, 'drain');
      }
    },
    commit: async () => undefined,
    abort: async () => undefined,
  };
}

/**
 * Opens a temporary file beside `target` and moves it onto `target` on commit, so a failed
 * export never leaves a half-written file that looks complete. Opening first means an
 * unwritable path fails before any Metaflow data is read.
 *
 * The rename would replace whatever `target` is with a regular file, so a target that exists
 * and is not a regular file (a symbolic link, directory, device, FIFO or socket) is rejected,
 * both here and again just before the rename.
 *
 * @throws ExportError `invalid_output` when `target` exists and is not a regular file.
 * @throws ExportError `unwritable_output` when the temporary file cannot be created.
 *   Each message is a sentence that names the path.
 */
export async function openFileSink(target: string): Promise<OutputSink> {
  const resolved = path.resolve(target);
  await checkOutputTarget(target, resolved);

  const temporary = path.join(path.dirname(resolved), `.${path.basename(resolved)}.${process.pid}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    throw new ExportError('unwritable_output', `Cannot write ${target}: ${describeFileError(error, resolved)}.`, { error });
  }

  return {
    async write(chunk) {
      await handle.write(chunk);
    },
    async commit() {
      await handle.close();
      // NOTE: another process could still replace the target between this check and the
      // rename. Checking again only narrows that window to a few system calls.
      await checkOutputTarget(target, resolved);
      await rename(temporary, resolved);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
}

/**
 * Rejects an existing `resolved` path that is not a regular file. `lstat` keeps a symbolic
 * link from passing as the file it points to. Any other `lstat` failure is left for `open`
 * to report.
 */
async function checkOutputTarget(target: string, resolved: string): Promise<void> {
  const existing = await lstat(resolved).catch(() => null);
  if (existing === null || existing.isFile()) {
    return;
  }
  throw new ExportError(
    'invalid_output',
    `Invalid --out ${target}: it is ${describeFileType(existing)}, but the export writes only regular files, so name a regular file or a new path.`,
    { path: resolved },
  );
}

function describeFileType(stats: Stats): string {
  if (stats.isSymbolicLink()) {
    return 'a symbolic link';
  }
  if (stats.isDirectory()) {
    return 'a directory';
  }
  if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    return 'a device';
  }
  if (stats.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (stats.isSocket()) {
    return 'a socket';
  }
  return 'something other than a regular file';
}

function describeFileError(error: unknown, resolved: string): string {
  const code = error instanceof Error && 'code' in error ? error.code : null;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `the folder ${path.dirname(resolved)} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${path.dirname(resolved)}`;
    case 'EROFS':
      return 'the file system is read-only';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
