import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMetaflowError, type MetaflowError } from '../../src/metaflow/errors.ts';
import type { BlobStore } from '../../src/metaflow/blob-store.ts';
import { silentLogger } from '../../src/logger.ts';
import { createS3BlobStore, type S3BlobStoreOptions } from '../../src/metaflow/s3/s3-blob-store.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { startSilentServer, startStatusServer } from './failing-servers.ts';
import { s3rverCredentials, startS3TestServer, type S3TestServer } from './s3-test-server.ts';

const bucket = 'metaflow-test';
const prefix = 'datastore/metaflow';
const datastoreFolder = path.join(metaflowLocalRoot, '.metaflow');

/** An artifact blob of HelloFlow, as Metaflow's content-addressed store keeps it. */
const blobKey = ['HelloFlow', 'data', '1c', '1cb234f50d40ae0ba4d7e3b7fe1ddb482fe41ca3'];
/** A log of about 3 MB (2,940,000 bytes) from LogFlow's `chatty` step. */
const logKey = ['LogFlow', '1796413166374227', 'chatty', '2', '0.runtime_stdout.log'];
/**
 * A zero-byte object, read only by `size`. For `Range: bytes=0-` on it, s3rver 3.7.1 sends
 * `Content-Length: 1` and no body, where S3 sends 416, the case that `readRange past end` covers.
 */
const emptyKey = ['HelloFlow', 'empty-object'];

function fixtureBytes(key: string[]): Buffer {
  return readFileSync(path.join(datastoreFolder, ...key));
}

/** Runs `action` and returns the `MetaflowError` it throws. Anything else fails the test. */
async function captureMetaflowError(action: () => Promise<unknown>): Promise<MetaflowError> {
  const error: unknown = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isMetaflowError(error)) {
    throw new Error(`expected a MetaflowError, got ${String(error)}`);
  }
  return error;
}

describe('createS3BlobStore on s3rver', () => {
  let server: S3TestServer;
  let store: BlobStore;

  function storeWith(overrides: Partial<S3BlobStoreOptions>): BlobStore {
    return createS3BlobStore({ root: `s3://${bucket}/${prefix}`, endpoint: server.endpoint, credentials: s3rverCredentials, logger: silentLogger, ...overrides });
  }

  beforeAll(async () => {
    server = await startS3TestServer([bucket]);
    for (const key of [blobKey, logKey]) {
      await server.upload(bucket, `${prefix}/${key.join('/')}`, { filePath: path.join(datastoreFolder, ...key) });
    }
    await server.upload(bucket, `${prefix}/${emptyKey.join('/')}`, { body: new Uint8Array(0) });
    store = storeWith({});
  });

  afterAll(async () => {
    await server.remove();
  });

  it('read returns artifact blob bytes', async () => {
    const bytes = await store.read(blobKey);
    expect(Buffer.from(bytes ?? []).equals(fixtureBytes(blobKey))).toBe(true);
  });

  it('read returns 3 MB log bytes', async () => {
    const bytes = await store.read(logKey);
    expect(bytes?.length).toBe(2_940_000);
    expect(Buffer.from(bytes ?? []).equals(fixtureBytes(logKey))).toBe(true);
  });

  it('readRange returns log tail and total size', async () => {
    const log = fixtureBytes(logKey);
    const range = await store.readRange(logKey, log.length - 4096);
    expect(range?.totalSize).toBe(log.length);
    expect(Buffer.from(range?.bytes ?? []).equals(log.subarray(log.length - 4096))).toBe(true);
  });

  it('readRange excludes end byte', async () => {
    const log = fixtureBytes(logKey);
    const range = await store.readRange(logKey, 1000, 1010);
    expect(range?.totalSize).toBe(log.length);
    expect(Buffer.from(range?.bytes ?? []).equals(log.subarray(1000, 1010))).toBe(true);
  });

  it('readRange past end returns no bytes', async () => {
    const range = await store.readRange(logKey, 3_000_000);
    expect(range?.bytes.length).toBe(0);
    expect(range?.totalSize).toBe(2_940_000);
  });

  it('readRange of empty range returns no bytes', async () => {
    const range = await store.readRange(blobKey, 5, 5);
    expect(range?.bytes.length).toBe(0);
    expect(range?.totalSize).toBe(fixtureBytes(blobKey).length);
  });

  it('readRange rejects negative start', async () => {
    await expect(store.readRange(logKey, -1)).rejects.toThrow(RangeError);
  });

  it('size returns object length', async () => {
    expect(await store.size(logKey)).toBe(2_940_000);
    expect(await store.size(emptyKey)).toBe(0);
  });

  it('missing key returns null', async () => {
    const missing = ['HelloFlow', 'data', '00', 'no-such-blob'];
    expect(await store.read(missing)).toBeNull();
    expect(await store.readRange(missing, 10)).toBeNull();
    expect(await store.size(missing)).toBeNull();
  });

  it('missing bucket read is unavailable', async () => {
    const error = await captureMetaflowError(() => storeWith({ root: 's3://no-such-bucket/metaflow' }).read(blobKey));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('S3 bucket "no-such-bucket" does not exist');
  });

  it('missing bucket size is unavailable', async () => {
    const error = await captureMetaflowError(() => storeWith({ root: 's3://no-such-bucket/metaflow' }).size(blobKey));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('no-such-bucket');
  });

  it('unknown access key is access_denied', async () => {
    const denied = storeWith({ credentials: { accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'secret-never-shown' } });
    for (const action of [() => denied.read(blobKey), () => denied.readRange(logKey, 0, 10), () => denied.size(blobKey)]) {
      const error = await captureMetaflowError(action);
      expect(error.code).toBe('access_denied');
      expect(error.message).toContain(`s3://${bucket}/${prefix}/`);
      expect(error.message).not.toContain('secret-never-shown');
      expect(error.message).not.toContain('UNKNOWNKEY');
    }
  });

  it('access denied message names bucket and key', async () => {
    const denied = storeWith({ credentials: { accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'x' } });
    const error = await captureMetaflowError(() => denied.read(blobKey));
    expect(error.message).toContain(`s3://${bucket}/${prefix}/${blobKey.join('/')}`);
    expect(error.message).toContain(`bucket "${bucket}"`);
  });

  it('missing credentials is access_denied', async () => {
    // The SDK's default chain fails with this error name when no source has credentials.
    const noCredentials = async (): Promise<never> => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const error = await captureMetaflowError(() => storeWith({ credentials: noCredentials }).read(blobKey));
    expect(error.code).toBe('access_denied');
    expect(error.message).toContain('No AWS credentials were found');
  });

  it('rejects dot-dot key segment', async () => {
    const error = await captureMetaflowError(() => store.read(['HelloFlow', '..', 'secret']));
    expect(error.code).toBe('invalid_name');
  });

  it('rejects segment with slash', async () => {
    const error = await captureMetaflowError(() => store.size(['HelloFlow', 'data/1c']));
    expect(error.code).toBe('invalid_name');
  });

  it('reads endpoint from METAFLOW_S3_ENDPOINT_URL', async () => {
    const fromEnv = createS3BlobStore({ root: `s3://${bucket}/${prefix}`, credentials: s3rverCredentials, logger: silentLogger, env: { METAFLOW_S3_ENDPOINT_URL: server.endpoint } });
    expect(await fromEnv.size(blobKey)).toBe(fixtureBytes(blobKey).length);
    expect(fromEnv.description).toBe(`S3 datastore at s3://${bucket}/${prefix} (endpoint ${server.endpoint})`);
  });

  it('SDK reads endpoint from AWS_ENDPOINT_URL_S3', async () => {
    const saved = process.env['AWS_ENDPOINT_URL_S3'];
    process.env['AWS_ENDPOINT_URL_S3'] = server.endpoint;
    try {
      const fromEnv = createS3BlobStore({ root: `s3://${bucket}/${prefix}`, forcePathStyle: true, credentials: s3rverCredentials, logger: silentLogger, env: {} });
      expect(await fromEnv.size(blobKey)).toBe(fixtureBytes(blobKey).length);
    } finally {
      if (saved === undefined) {
        delete process.env['AWS_ENDPOINT_URL_S3'];
      } else {
        process.env['AWS_ENDPOINT_URL_S3'] = saved;
      }
    }
  });
});

describe('createS3BlobStore when S3 fails', () => {
  function storeAt(endpoint: string, overrides: Partial<S3BlobStoreOptions> = {}): BlobStore {
    return createS3BlobStore({ root: `s3://${bucket}/${prefix}`, endpoint, credentials: s3rverCredentials, logger: silentLogger, ...overrides });
  }

  it('stopped server is unavailable', async () => {
    const server = await startS3TestServer([bucket]);
    await server.remove();

    const started = Date.now();
    const error = await captureMetaflowError(() => storeAt(server.endpoint, { maxAttempts: 3 }).read(blobKey));
    expect(error.code).toBe('unavailable');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('after 3 attempts');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('silent server times out', async () => {
    const server = await startSilentServer();
    try {
      const started = Date.now();
      const error = await captureMetaflowError(() => storeAt(server.endpoint, { requestTimeoutMs: 300, maxAttempts: 2 }).size(blobKey));
      const elapsed = Date.now() - started;
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('timed out');
      expect(server.hits).toBe(2);
      expect(elapsed).toBeGreaterThanOrEqual(550);
      expect(elapsed).toBeLessThan(5_000);
    } finally {
      await server.close();
    }
  });

  it('server error is retried then unavailable', async () => {
    const server = await startStatusServer(503, 'ServiceUnavailable');
    try {
      const error = await captureMetaflowError(() => storeAt(server.endpoint, { maxAttempts: 3 }).read(blobKey));
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('HTTP 503');
      expect(server.hits).toBe(3);
    } finally {
      await server.close();
    }
  });

  it('forbidden status is access_denied', async () => {
    const server = await startStatusServer(403, 'AccessDenied');
    try {
      const error = await captureMetaflowError(() => storeAt(server.endpoint).read(blobKey));
      expect(error.code).toBe('access_denied');
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });
});
