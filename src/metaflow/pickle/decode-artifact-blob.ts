import { gunzipSync } from 'node:zlib';
import { MetaflowError } from '../errors.ts';
import { decodePickle } from './decode-pickle.ts';
import type { PyValue } from './python-value.ts';

/**
 * Decodes an artifact blob as Metaflow's local and S3 datastores store it: a gzip-compressed
 * pickle (`cas_raw: false` in the blob's `_meta`).
 *
 * @throws MetaflowError with code `corrupt_data` when the gzip stream or the pickle is
 *   truncated or invalid.
 */
export function decodeArtifactBlob(data: Uint8Array): PyValue {
  let pickle: Uint8Array;
  try {
    pickle = gunzipSync(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MetaflowError(
      'corrupt_data',
      `The artifact blob is not a complete gzip stream (${reason}), so it is truncated or not a Metaflow artifact.`,
      { cause: error },
    );
  }
  return decodePickle(pickle);
}
