import { once } from 'node:events';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
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
 * @throws ExportError `unwritable_output` with a sentence that names the path and the reason.
 */
export async function openFileSink(target: string): Promise<OutputSink> {
  const resolved = path.resolve(target);
  const existing = await stat(resolved).catch(() => null);
  if (existing?.isDirectory()) {
    throw new ExportError('unwritable_output', `Cannot write ${target}: it is a folder.`);
  }

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
      await rename(temporary, resolved);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
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
