import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './blob-store.ts';
import { MetaflowError } from './errors.ts';

/**
 * A `BlobStore` over a local folder: the `.metaflow` folder of a local datastore. Every key is
 * resolved inside the root, symbolic links included (through `realpath`), so a key or a link
 * that points outside the root is rejected instead of read.
 */
export class LocalBlobStore implements BlobStore {
  readonly description: string;
  readonly #root: string;
  #realRoot: Promise<string> | null = null;

  /** @param root the folder that holds the flows (`<sysroot>/.metaflow`). */
  constructor(root: string) {
    this.#root = path.resolve(root);
    this.description = `local datastore at ${this.#root}`;
  }

  async read(key: readonly string[]): Promise<Uint8Array | null> {
    const result = await this.readRange(key, 0);
    return result?.bytes ?? null;
  }

  async readRange(key: readonly string[], start: number, end?: number): Promise<{ bytes: Uint8Array; totalSize: number } | null> {
    const file = await this.#resolve(key);
    if (file === null) {
      return null;
    }
    const handle = await openOrNull(file);
    if (handle === null) {
      return null;
    }
    try {
      const totalSize = (await handle.stat()).size;
      const from = Math.min(Math.max(0, start), totalSize);
      const to = Math.min(end ?? totalSize, totalSize);
      const bytes = Buffer.alloc(Math.max(0, to - from));
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, from + filled);
        if (bytesRead === 0) {
          break;
        }
        filled += bytesRead;
      }
      return { bytes: bytes.subarray(0, filled), totalSize };
    } finally {
      await handle.close();
    }
  }

  async size(key: readonly string[]): Promise<number | null> {
    const file = await this.#resolve(key);
    const handle = file === null ? null : await openOrNull(file);
    if (handle === null) {
      return null;
    }
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  /** Returns the real path of `key`, `null` when it does not exist; throws when it leaves the root. */
  async #resolve(key: readonly string[]): Promise<string | null> {
    for (const segment of key) {
      if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\') || segment.includes('\0')) {
        throw new MetaflowError('invalid_name', `Datastore key segment ${JSON.stringify(segment)} is invalid because it is empty, relative or contains a path separator.`);
      }
    }
    const root = await this.#resolveRoot();
    let real: string;
    try {
      real = await realpath(path.join(this.#root, ...key));
    } catch (error) {
      if (isMissing(error)) {
        return null;
      }
      throw unavailable(this.#root, error);
    }
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new MetaflowError('access_denied', `Datastore object ${key.join('/')} resolves outside the datastore root ${this.#root}, so it is not read.`);
    }
    return real;
  }

  #resolveRoot(): Promise<string> {
    this.#realRoot ??= realpath(this.#root).catch((error: unknown) => {
      this.#realRoot = null;
      throw isMissing(error)
        ? new MetaflowError('unavailable', `The datastore root ${this.#root} does not exist.`, { cause: error })
        : unavailable(this.#root, error);
    });
    return this.#realRoot;
  }
}

async function openOrNull(file: string): Promise<Awaited<ReturnType<typeof open>> | null> {
  try {
    return await open(file, 'r');
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') {
      return null;
    }
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function unavailable(root: string, error: unknown): MetaflowError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new MetaflowError('access_denied', `The datastore at ${root} cannot be read: permission denied.`, { cause: error });
  }
  return new MetaflowError('unavailable', `The datastore at ${root} cannot be read (${code ?? String(error)}).`, { cause: error });
}
