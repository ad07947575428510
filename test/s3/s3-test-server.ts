import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/**
 * Credentials of the account that s3rver 3.7 creates on start. It rejects any other access
 * key id with 403 `InvalidAccessKeyId`, but does not check SigV4 signatures, so a wrong
 * secret key still passes.
 */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A running s3rver on 127.0.0.1, keeping its objects in a temporary folder. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Uploads `body`, or the file at `filePath`, as `bucket/key`. */
  upload(bucket: string, key: string, source: { body: Uint8Array } | { filePath: string }): Promise<void>;
  /** Stops listening. Objects stay on disk until `remove`. */
  stop(): Promise<void>;
  /** Stops the server if it still runs and deletes its folder. */
  remove(): Promise<void>;
}

/** Starts s3rver on a free loopback port with `buckets` created. */
export async function startS3TestServer(buckets: string[]): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), 'metaflowbot-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true, configureBuckets: buckets.map((name) => ({ name })) });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3rverCredentials });
  let running = true;

  async function upload(bucket: string, key: string, source: { body: Uint8Array } | { filePath: string }): Promise<void> {
    const body = 'body' in source ? source.body : await readFile(source.filePath);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  }

  async function stop(): Promise<void> {
    if (running) {
      running = false;
      client.destroy();
      await server.close();
    }
  }

  async function remove(): Promise<void> {
    await stop();
    await rm(directory, { recursive: true, force: true });
  }

  return { endpoint, upload, stop, remove };
}
