import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { pythonTypeName, type PyValue } from '../../src/metaflow/pickle/index.ts';
import { encodePickle } from './encode-pickle.ts';
import { toPythonJson } from './python-json.ts';

/** An artifact's blob: its name and what `<attempt>.data.json` records about it. */
export interface StoredBlob {
  sha: string;
  /** Pickled size in bytes. */
  size: number;
  /** `str(type(value))`, such as `<class 'float'>`. */
  type: string;
}

/** The gzip level of Metaflow 2.19.38's blobs. */
const gzipLevel = 3;

/**
 * Writes a flow's content-addressed blob store (`<Flow>/data/<sha[0:2]>/<sha>` and
 * `<sha>_meta`) as Metaflow 2.19.38's local datastore does: the value pickled with protocol 4,
 * named by the SHA-1 of the pickle, gzip-compressed at level 3. Each blob is written once, and
 * a value object that was stored before is not pickled again, so the scenario code shares one
 * object between tasks wherever Metaflow would store equal values.
 */
export class BlobStore {
  readonly #dataFolder: string;
  readonly #written = new Set<string>();
  readonly #byValue = new WeakMap<PyValue, StoredBlob>();

  /** @param flowFolder the `<datastore>/<Flow>` folder. */
  constructor(flowFolder: string) {
    this.#dataFolder = path.join(flowFolder, 'data');
  }

  /** Stores `value` and returns its blob. `writtenAt` (epoch ms) goes into the gzip header, as Python's `GzipFile` puts the time there. */
  store(value: PyValue, writtenAt: number): StoredBlob {
    const known = this.#byValue.get(value);
    if (known !== undefined) {
      return known;
    }

    const pickle = encodePickle(value);
    const sha = createHash('sha1').update(pickle).digest('hex');
    if (!this.#written.has(sha)) {
      const folder = path.join(this.#dataFolder, sha.slice(0, 2));
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, sha), gzipLikePython(pickle, writtenAt));
      writeFileSync(path.join(folder, `${sha}_meta`), toPythonJson({ cas_raw: false, cas_version: 1 }));
      this.#written.add(sha);
    }

    const blob = { sha, size: pickle.length, type: `<class '${pythonTypeName(value)}'>` };
    this.#byValue.set(value, blob);
    return blob;
  }
}

/**
 * Compresses with the gzip header that the fixture's blobs have (Python's `gzip` module writes
 * it): no file name, the write time, and the OS byte 255 ("unknown"). zlib writes the rest of
 * the header the same way, and the trailer's CRC covers the data only, so patching the header
 * keeps the stream valid.
 */
function gzipLikePython(data: Buffer, writtenAt: number): Buffer {
  const compressed = gzipSync(data, { level: gzipLevel });
  compressed.writeUInt32LE(Math.floor(writtenAt / 1000), 4);
  compressed[9] = 0xff;
  return compressed;
}
