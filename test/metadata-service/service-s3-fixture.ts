import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../src/logger.ts';
import type { BlobStore } from '../../src/metaflow/blob-store.ts';
import { createS3BlobStore } from '../../src/metaflow/s3/s3-blob-store.ts';
import { MetadataServiceClient } from '../../src/metaflow/service/service-client.ts';
import { ServiceReader } from '../../src/metaflow/service/service-reader.ts';
import { s3rverCredentials, startS3TestServer, type S3TestServer } from '../s3/s3-test-server.ts';
import { startContractServer, type ContractServer, type Phase } from './contract-server.ts';
import { exchanges, serviceDatastoreRoot } from './service-fixture.ts';

/** Bucket and prefix of the uploaded datastore: `METAFLOW_DATASTORE_SYSROOT_S3=s3://metaflow-test/metaflow`. */
export const datastoreBucket = 'metaflow-test';
export const datastorePrefix = 'metaflow';

/** An access key pair for s3rver. */
export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Uploads in flight at a time. s3rver writes each object to a file, so more gain little. */
const uploadConcurrency = 16;

/**
 * s3rver containing the recorded datastore in Metaflow's S3 layout, where `datastore/<Flow>/…`
 * becomes `s3://metaflow-test/metaflow/<Flow>/…`, and a client that can delete and restore objects.
 */
export interface DatastoreBucket {
  s3: S3TestServer;
  /** Datastore keys (`[flow, …]`) of every uploaded file. */
  keys: string[][];
  /** Deletes the object of datastore key `key`. */
  remove(key: readonly string[]): Promise<void>;
  /** Uploads the recorded file of datastore key `key` again. */
  restore(key: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts s3rver in a temporary folder and uploads every file of the recorded datastore. */
export async function startDatastoreBucket(): Promise<DatastoreBucket> {
  const s3 = await startS3TestServer([datastoreBucket]);
  const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3rverCredentials });
  const restore = (key: readonly string[]): Promise<void> => s3.upload(datastoreBucket, objectKey(key), { filePath: path.join(serviceDatastoreRoot, ...key) });
  try {
    const keys = await listFiles(serviceDatastoreRoot);
    for (let start = 0; start < keys.length; start += uploadConcurrency) {
      await Promise.all(keys.slice(start, start + uploadConcurrency).map(restore));
    }
    return {
      s3,
      keys,
      remove: async (key) => {
        await client.send(new DeleteObjectCommand({ Bucket: datastoreBucket, Key: objectKey(key) }));
      },
      restore,
      close: async () => {
        client.destroy();
        await s3.remove();
      },
    };
  } catch (error) {
    client.destroy();
    await s3.remove();
    throw error;
  }
}

/** Returns the S3 object key of a datastore key. */
export function objectKey(key: readonly string[]): string {
  return [datastorePrefix, ...key].join('/');
}

/**
 * Creates an S3 blob store on the bucket with explicit credentials, never the SDK's default chain.
 * `credentials` is called before every request, so a test can swap them, as a rotation would.
 */
export function createDatastoreStore(bucket: DatastoreBucket, credentials: () => TestCredentials = () => s3rverCredentials): BlobStore {
  // An expiration in the past makes the SDK ask the provider again for each request instead of caching.
  const provider = async (): Promise<TestCredentials & { expiration: Date }> => ({ ...credentials(), expiration: new Date(0) });
  return createS3BlobStore({
    root: `s3://${datastoreBucket}/${datastorePrefix}`,
    endpoint: bucket.s3.endpoint,
    region: 'us-east-1',
    credentials: provider,
    maxAttempts: 1,
    requestTimeoutMs: 5_000,
    logger: silentLogger,
    env: {},
  });
}

/** A contract server of one phase and a reader over it that reads artifacts and logs from `blobs`. */
export interface ServiceS3Setup {
  server: ContractServer;
  reader: ServiceReader;
  close(): Promise<void>;
}

/** Starts a contract server of `phase` and a service reader over it with `blobs` as its datastore. */
export async function openReaderOnStore(phase: Phase, blobs: BlobStore): Promise<ServiceS3Setup> {
  const server = await startContractServer(exchanges, phase);
  const client = new MetadataServiceClient({ baseUrl: server.url, logger: silentLogger, timeoutMs: 5_000, retryDelayMs: 10 });
  const reader = new ServiceReader({ client, blobs, logger: silentLogger });
  return { server, reader, close: () => server.close() };
}

async function listFiles(root: string): Promise<string[][]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep))
    .sort((left, right) => left.join('/').localeCompare(right.join('/')));
}
