import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../blob-store.ts';
import type { Logger } from '../../logger.ts';
import { formatByteRange, parseContentRangeTotal } from './content-range.ts';
import { buildObjectKey } from './object-key.ts';
import { formatS3Url, parseS3Url, type S3Location } from './parse-s3-url.ts';
import { createS3Connection, type S3ConnectionOptions } from './s3-client.ts';
import { describeMissingBucket, describeS3Failure, httpStatusOf, isMissingObject, type S3RequestTarget } from './s3-failure.ts';

/** Options of `createS3BlobStore`: the datastore root, how to reach S3, and the logger. */
export interface S3BlobStoreOptions extends S3ConnectionOptions {
  /** `METAFLOW_DATASTORE_SYSROOT_S3`, e.g. `s3://my-bucket/metaflow`. */
  root: string;
  logger: Logger;
}

/** Marks a ranged read that starts at or past the end of the object (HTTP 416). */
const pastEnd = Symbol('pastEnd');

type RangeResult = { bytes: Uint8Array; totalSize: number };

/**
 * Creates a `BlobStore` that reads objects under an S3 prefix with the AWS SDK, using its
 * default credential chain unless `credentials` is given. Throws an `Error` for an invalid
 * `root`. Requests throw `MetaflowError` (`access_denied`, `unavailable`, `invalid_name`).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  return new S3BlobStore(options);
}

class S3BlobStore implements BlobStore {
  readonly description: string;
  private readonly location: S3Location;
  private readonly client: S3Client;
  private readonly endpoint: string | undefined;
  private readonly logger: Logger;
  private bucketFound = false;

  constructor(options: S3BlobStoreOptions) {
    this.location = parseS3Url(options.root);
    const connection = createS3Connection(options);
    this.client = connection.client;
    this.endpoint = connection.endpoint;
    this.logger = options.logger;
    const root = formatS3Url(this.location);
    this.description = this.endpoint === undefined ? `S3 datastore at ${root}` : `S3 datastore at ${root} (endpoint ${this.endpoint})`;
  }

  async read(segments: readonly string[]): Promise<Uint8Array | null> {
    return this.request(segments, 'GetObject', async (key) => {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
      return readBody(response);
    });
  }

  async readRange(segments: readonly string[], start: number, end?: number): Promise<RangeResult | null> {
    checkByteRange(start, end);
    // HTTP cannot ask for zero bytes, so an empty range only needs the size.
    const range = end === start ? pastEnd : await this.request(segments, 'GetObject', (key) => this.getRange(key, start, end));
    if (range !== pastEnd) {
      return range;
    }

    const totalSize = await this.size(segments);
    return totalSize === null ? null : { bytes: new Uint8Array(0), totalSize };
  }

  async size(segments: readonly string[]): Promise<number | null> {
    return this.request(segments, 'HeadObject', async (key) => {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: key }));
      return response.ContentLength ?? 0;
    });
  }

  private async getRange(key: string, start: number, end: number | undefined): Promise<RangeResult | typeof pastEnd> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key, Range: formatByteRange(start, end) }));
    } catch (error) {
      if (httpStatusOf(error) === 416) {
        return pastEnd;
      }
      throw error;
    }

    const bytes = await readBody(response);
    const totalSize = parseContentRangeTotal(response.ContentRange);
    // A server that ignores `Range` sends the whole object with status 200 and no Content-Range.
    return totalSize === null ? { bytes: bytes.subarray(start, end), totalSize: bytes.length } : { bytes, totalSize };
  }

  /** Runs one request for `segments`. A missing object becomes `null`, other failures `MetaflowError`. */
  private async request<T>(segments: readonly string[], operation: string, send: (key: string) => Promise<T>): Promise<T | null> {
    const target: S3RequestTarget = { bucket: this.location.bucket, key: buildObjectKey(this.location.prefix, segments), endpoint: this.endpoint };
    this.logger.debug('S3 request', { operation, bucket: target.bucket, key: target.key });
    try {
      return await send(target.key);
    } catch (error) {
      if (isMissingObject(error)) {
        await this.checkBucket(target);
        return null;
      }
      const failure = describeS3Failure(error, target);
      this.logger.warn('S3 request failed', { operation, bucket: target.bucket, key: target.key, error: failure });
      throw failure;
    }
  }

  /**
   * Throws when the bucket itself is missing. HeadObject's 404 has no body, so it cannot
   * tell a missing key from a missing bucket. One HeadBucket call settles it for the store's
   * lifetime. A HeadBucket that fails for another reason (often a 403 for lack of
   * `s3:ListBucket`) proves nothing, so the object counts as missing.
   */
  private async checkBucket(target: S3RequestTarget): Promise<void> {
    if (this.bucketFound) {
      return;
    }
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: target.bucket }));
      this.bucketFound = true;
    } catch (error) {
      if (httpStatusOf(error) === 404) {
        const failure = describeMissingBucket(target, error);
        this.logger.warn('S3 bucket not found', { bucket: target.bucket, error: failure });
        throw failure;
      }
    }
  }
}

/**
 * Reads the whole response body. NOTE: the SDK's retries end when the headers arrive, so a
 * connection that breaks while the body streams fails the read at once, without a retry.
 */
async function readBody(response: GetObjectCommandOutput): Promise<Uint8Array> {
  return response.Body === undefined ? new Uint8Array(0) : response.Body.transformToByteArray();
}

/** Rejects ranges that no caller should build: negative, fractional, or ending before they start. */
function checkByteRange(start: number, end: number | undefined): void {
  const valid = Number.isSafeInteger(start) && start >= 0 && (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!valid) {
    throw new RangeError(`Invalid byte range: start ${start}, end ${String(end)}. Both must be integers with 0 <= start <= end.`);
  }
}
