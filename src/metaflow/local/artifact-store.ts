import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { MetaflowError, isMetaflowError } from '../errors.ts';
import { LruCache } from '../lru-cache.ts';
import { decodePickle, type PyValue } from '../pickle/index.ts';
import type { DatastoreFiles } from './datastore-files.ts';

const gunzipAsync = promisify(gunzip);

/** Limits of the decoded-value cache and of what is decoded at all. */
export interface ArtifactStoreLimits {
  /** Decoded values kept, least recently used dropped first. */
  maxCachedValues: number;
  /** Values whose pickle is larger than this many bytes are decoded again on each read. */
  maxCachedPickleBytes: number;
  /** Pickles larger than this many bytes are not decoded (the gunzip stops there). */
  maxDecodedPickleBytes: number;
}

/** Defaults sized for a bot that shows values in a chat: small values repeat, big ones are rare. */
export const defaultArtifactStoreLimits: ArtifactStoreLimits = {
  maxCachedValues: 512,
  maxCachedPickleBytes: 64 * 1024,
  maxDecodedPickleBytes: 64 * 1024 * 1024,
};

const gzipMagic = [0x1f, 0x8b];

/**
 * Loads artifact blobs from the content-addressed store `<Flow>/data/<sha[0:2]>/<sha>` and
 * decodes them. Blobs never change (the name is the SHA-1 of the pickle), so small decoded
 * values are cached by flow and sha.
 */
export class ArtifactStore {
  readonly #files: DatastoreFiles;
  readonly #limits: ArtifactStoreLimits;
  readonly #values: LruCache<string, PyValue>;

  constructor(files: DatastoreFiles, limits: ArtifactStoreLimits = defaultArtifactStoreLimits) {
    this.#files = files;
    this.#limits = limits;
    this.#values = new LruCache(limits.maxCachedValues);
  }

  /** Pickle size in bytes above which `decode` rejects a blob. */
  get maxDecodedPickleBytes(): number {
    return this.#limits.maxDecodedPickleBytes;
  }

  /**
   * Reads and decodes the blob `sha` of `flow`. `where` names the artifact in messages, e.g.
   * `Artifact _task_ok of task HelloFlow/1/start/1`.
   *
   * @throws MetaflowError `corrupt_data` when the blob is missing, truncated, not gzip or not a
   *   pickle, or larger than `maxDecodedPickleBytes`.
   */
  async decode(flow: string, sha: string, where: string): Promise<PyValue> {
    const key = `${flow}/${sha}`;
    const cached = this.#values.get(key);
    if (cached) {
      return cached;
    }

    const pickle = await this.#readPickle(flow, sha, where);
    const value = decodeWithContext(pickle, where);
    if (pickle.length <= this.#limits.maxCachedPickleBytes) {
      this.#values.set(key, value);
    }
    return value;
  }

  async #readPickle(flow: string, sha: string, where: string): Promise<Uint8Array> {
    const blob = await this.#files.readBytes([flow, 'data', sha.slice(0, 2), sha]);
    if (blob === null) {
      throw new MetaflowError('corrupt_data', `${where} cannot be read because its blob ${sha} is missing from the datastore.`);
    }

    // Metaflow writes gzip-compressed pickles (`cas_raw: false`). A raw blob starts with the
    // pickle PROTO opcode 0x80 instead, so the first bytes tell the two apart.
    if (blob[0] !== gzipMagic[0] || blob[1] !== gzipMagic[1]) {
      return blob;
    }
    try {
      return await gunzipAsync(blob, { maxOutputLength: this.#limits.maxDecodedPickleBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      const problem = tooLarge ? `is larger than ${this.#limits.maxDecodedPickleBytes} bytes` : 'is not a complete gzip stream';
      throw new MetaflowError('corrupt_data', `${where} cannot be read because its blob ${sha} ${problem}.`, { cause: error });
    }
  }
}

function decodeWithContext(pickle: Uint8Array, where: string): PyValue {
  try {
    return decodePickle(pickle);
  } catch (error) {
    const detail = isMetaflowError(error) ? error.message : String(error);
    throw new MetaflowError('corrupt_data', `${where} cannot be decoded. ${detail}`, { cause: error });
  }
}
