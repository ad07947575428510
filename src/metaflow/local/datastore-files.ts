import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MetaflowError } from '../errors.ts';
import { readWholeFile } from './read-whole-file.ts';

/** Size and modification time of a file or folder. */
export interface FileStatus {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

/**
 * Read-only access to the files of one `.metaflow` folder. Every path is resolved with
 * `realpath` and read only when it stays inside the folder, so a symbolic link cannot lead
 * a read elsewhere. Paths are given as segments that callers have already validated
 * (see `names.ts`) or that are fixed file names.
 *
 * A missing file or folder gives `null`; the caller knows which Metaflow object is missing
 * and words the error.
 */
export class DatastoreFiles {
  /** Absolute path of the `.metaflow` folder. */
  readonly root: string;
  #realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Reads a whole file, or returns `null` when it does not exist. */
  async readBytes(segments: readonly string[]): Promise<Buffer | null> {
    const target = await this.#resolve(segments);
    if (target === null) {
      return null;
    }
    return this.#attempt(segments, () => readWholeFile(target));
  }

  /** Reads and parses a JSON file, or returns `null` when it does not exist. */
  async readJson(segments: readonly string[]): Promise<unknown> {
    const bytes = await this.readBytes(segments);
    if (bytes === null) {
      return null;
    }
    try {
      return JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (error) {
      throw new MetaflowError('corrupt_data', `${describePath(segments)} in the datastore is not valid JSON (it may be truncated or half-written).`, { cause: error });
    }
  }

  /** Lists the names in a folder, or returns `null` when it does not exist or is not a folder. */
  async listFolder(segments: readonly string[]): Promise<string[] | null> {
    const target = await this.#resolve(segments);
    if (target === null) {
      return null;
    }
    return this.#attempt(segments, () => readdir(target));
  }

  /** Returns the size and modification time of a file or folder, or `null` when it does not exist. */
  async status(segments: readonly string[]): Promise<FileStatus | null> {
    const target = await this.#resolve(segments);
    if (target === null) {
      return null;
    }
    const stats = await this.#attempt(segments, () => stat(target));
    return stats && { size: stats.size, mtimeMs: stats.mtimeMs, isDirectory: stats.isDirectory() };
  }

  /** Resolves symbolic links and checks that the result stays inside the root. Returns `null` when the path is missing. */
  async #resolve(segments: readonly string[]): Promise<string | null> {
    for (const segment of segments) {
      if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\0')) {
        throw new MetaflowError('invalid_name', `The path segment ${JSON.stringify(segment)} cannot be read from the datastore.`);
      }
    }

    const realRoot = await this.#getRealRoot();
    const real = await this.#attempt(segments, () => realpath(path.join(this.root, ...segments)));
    if (real === null) {
      return null;
    }
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
      throw new MetaflowError(
        'invalid_name',
        `${describePath(segments)} in the datastore at ${this.root} leads outside the datastore through a symbolic link, so it was not read.`,
      );
    }
    return real;
  }

  #getRealRoot(): Promise<string> {
    this.#realRoot ??= realpath(this.root).catch((error: unknown) => {
      this.#realRoot = undefined;
      throw new MetaflowError('unavailable', `The datastore folder ${this.root} cannot be opened.`, { cause: error });
    });
    return this.#realRoot;
  }

  /** Runs a file system call. A missing path gives `null`, and other failures a `MetaflowError`. */
  async #attempt<T>(segments: readonly string[], call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        return null;
      }
      if (code === 'EACCES' || code === 'EPERM') {
        throw new MetaflowError('access_denied', `Reading ${describePath(segments)} in the datastore at ${this.root} was denied.`, { cause: error });
      }
      if (code === 'EISDIR') {
        throw new MetaflowError('corrupt_data', `${describePath(segments)} in the datastore is a folder where Metaflow writes a file.`, { cause: error });
      }
      if (code === 'ELOOP') {
        throw new MetaflowError('invalid_name', `${describePath(segments)} in the datastore at ${this.root} is a loop of symbolic links.`, { cause: error });
      }
      throw new MetaflowError('unavailable', `Reading ${describePath(segments)} in the datastore at ${this.root} failed.`, { cause: error });
    }
  }
}

function describePath(segments: readonly string[]): string {
  return segments.length === 0 ? 'The datastore folder' : segments.join('/');
}
