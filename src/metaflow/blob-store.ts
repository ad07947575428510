/**
 * Where a datastore keeps artifact blobs and logs: a local folder or an S3 prefix. Keys are
 * paths relative to the datastore root, in Metaflow's layout, as `/`-separated segments
 * (`['HelloFlow', 'data', 'ab', 'ab12…']`, `['HelloFlow', '17…', 'train', '2', '0.runtime_stdout.log']`).
 * Each segment has passed Metaflow's naming rules before it gets here.
 *
 * Implementations throw `MetaflowError` with `access_denied` or `unavailable` for a store
 * that refuses or fails; a missing object is `null`, not an error.
 */
export interface BlobStore {
  /** A short human description, e.g. `S3 datastore at s3://bucket/metaflow`. */
  readonly description: string;

  /** The whole object, or `null` when it does not exist. */
  read(key: readonly string[]): Promise<Uint8Array | null>;

  /**
   * The bytes from `start` (inclusive) to `end` (exclusive, or the end of the object), with
   * the object's whole size; `null` when it does not exist. Log tails use it to read only the
   * end of a large log.
   */
  readRange(key: readonly string[], start: number, end?: number): Promise<{ bytes: Uint8Array; totalSize: number } | null>;

  /** The object's size in bytes, or `null` when it does not exist. */
  size(key: readonly string[]): Promise<number | null>;
}
