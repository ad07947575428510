import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { BlobStore } from '../blob-store.ts';
import { MetaflowError, isMetaflowError } from '../errors.ts';
import { LruCache } from '../lru-cache.ts';
import { decodePickle, type PyValue } from '../pickle/index.ts';

const gunzipAsync = promisify(gunzip);

/** What `<attempt>.data.json` records about one artifact. */
export interface StoredArtifactInfo {
  /** Pickled size in bytes. */
  size: number;
  /** `str(type(value))` as Metaflow recorded it, e.g. `<class 'float'>`. */
  type: string;
}

/** Limits of `ServiceBlobs`. */
export interface ServiceBlobLimits {
  /** Decoded values kept, least recently used dropped first. */
  maxCachedValues: number;
  /** Values whose pickle is larger than this many bytes are not cached. */
  maxCachedPickleBytes: number;
  /** Pickles larger than this many bytes are not decoded. */
  maxDecodedPickleBytes: number;
}

/** Defaults sized for a chat: small values repeat (`_task_ok` is the same blob in every run), big ones are rare. */
export const defaultServiceBlobLimits: ServiceBlobLimits = {
  maxCachedValues: 1024,
  maxCachedPickleBytes: 64 * 1024,
  maxDecodedPickleBytes: 64 * 1024 * 1024,
};

/**
 * Reads artifact bytes from the datastore behind a metadata service. The service records only
 * each artifact's sha; the gzip-compressed pickle is at `<Flow>/data/<sha[0:2]>/<sha>` under the
 * configured datastore root, which replaces the `:root:` the record names. Blobs are
 * content-addressed and never change, so decoded values are cached by flow and sha.
 */
export class ServiceBlobs {
  readonly store: BlobStore;
  readonly limits: ServiceBlobLimits;
  readonly #values: LruCache<string, PyValue>;

  constructor(store: BlobStore, limits: ServiceBlobLimits = defaultServiceBlobLimits) {
    this.store = store;
    this.limits = limits;
    this.#values = new LruCache(limits.maxCachedValues);
  }

  /**
   * Reads and decodes blob `sha` of `flow`; `where` names the artifact in messages.
   *
   * @throws MetaflowError `corrupt_data` when the blob is missing, not gzip, too large or not a pickle.
   */
  async decode(flow: string, sha: string, where: string): Promise<PyValue> {
    const key = `${flow}/${sha}`;
    const cached = this.#values.get(key);
    if (cached) {
      return cached;
    }
    const blob = await this.store.read([flow, 'data', sha.slice(0, 2), sha]);
    if (blob === null) {
      throw new MetaflowError('corrupt_data', `${where} cannot be read because its blob ${sha} is missing from the ${this.store.description}.`);
    }
    const pickle = await this.#gunzip(blob, sha, where);
    const value = decodeOrExplain(pickle, where);
    if (pickle.length <= this.limits.maxCachedPickleBytes) {
      this.#values.set(key, value);
    }
    return value;
  }

  /** Decodes a blob that Metaflow always stores as a bool (`_task_ok`, `_success`). */
  async decodeBool(flow: string, sha: string, where: string): Promise<boolean> {
    const value = await this.decode(flow, sha, where);
    if (value.kind !== 'bool') {
      throw new MetaflowError('corrupt_data', `${where} contains a ${value.kind}, but Metaflow stores a bool there.`);
    }
    return value.value;
  }

  /**
   * Reads the sizes and types in `<Flow>/<run>/<step>/<task>/<attempt>.data.json`; an empty map
   * when the file does not exist.
   */
  async readStoredInfo(taskKey: readonly string[], attempt: number): Promise<Map<string, StoredArtifactInfo>> {
    const infos = new Map<string, StoredArtifactInfo>();
    const index = await this.#readIndex(taskKey, attempt);
    if (index === null) {
      return infos;
    }
    const info = index['info'];
    if (typeof info !== 'object' || info === null) {
      throw new MetaflowError('corrupt_data', `${taskKey.join('/')}/${attempt}.data.json has no "info" object.`);
    }
    for (const [name, entry] of Object.entries(info)) {
      const { size, type } = (entry ?? {}) as { size?: unknown; type?: unknown };
      infos.set(name, { size: typeof size === 'number' ? size : 0, type: typeof type === 'string' ? type : 'object' });
    }
    return infos;
  }

  /**
   * Reads the sha of each artifact from the `objects` map of `<attempt>.data.json`; an empty map
   * when the file does not exist. The datastore writes this index before the task registers its
   * artifacts with the service, so it can stand in for an artifact row the service lacks.
   */
  async readStoredShas(taskKey: readonly string[], attempt: number): Promise<Map<string, string>> {
    const shas = new Map<string, string>();
    const objects = (await this.#readIndex(taskKey, attempt))?.['objects'];
    if (typeof objects !== 'object' || objects === null) {
      return shas;
    }
    for (const [name, sha] of Object.entries(objects)) {
      if (typeof sha === 'string') {
        shas.set(name, sha);
      }
    }
    return shas;
  }

  async #readIndex(taskKey: readonly string[], attempt: number): Promise<Record<string, unknown> | null> {
    const bytes = await this.store.read([...taskKey, `${attempt}.data.json`]);
    if (bytes === null) {
      return null;
    }
    const where = `${taskKey.join('/')}/${attempt}.data.json`;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      throw new MetaflowError('corrupt_data', `${where} is not valid JSON.`, { cause: error });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new MetaflowError('corrupt_data', `${where} is not a JSON object.`);
    }
    return json as Record<string, unknown>;
  }

  async #gunzip(blob: Uint8Array, sha: string, where: string): Promise<Uint8Array> {
    // Metaflow writes gzip-compressed pickles (`cas_raw: false`). A raw blob starts with the
    // pickle PROTO opcode 0x80 instead, so the first bytes tell the two apart.
    if (blob[0] !== 0x1f || blob[1] !== 0x8b) {
      return blob;
    }
    try {
      return await gunzipAsync(blob, { maxOutputLength: this.limits.maxDecodedPickleBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      const problem = tooLarge ? `is larger than ${this.limits.maxDecodedPickleBytes} bytes` : 'is not a complete gzip stream';
      throw new MetaflowError('corrupt_data', `${where} cannot be read because its blob ${sha} ${problem}.`, { cause: error });
    }
  }
}

function decodeOrExplain(pickle: Uint8Array, where: string): PyValue {
  try {
    return decodePickle(pickle);
  } catch (error) {
    const detail = isMetaflowError(error) ? error.message : String(error);
    throw new MetaflowError('corrupt_data', `${where} cannot be decoded. ${detail}`, { cause: error });
  }
}
