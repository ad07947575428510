import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** How to reach S3. Every field is optional, and a missing one falls back to the AWS SDK's defaults. */
export interface S3ConnectionOptions {
  /** Endpoint of an S3-compatible store, e.g. `http://127.0.0.1:9000`. */
  endpoint?: string;
  region?: string;
  /** Address buckets as `endpoint/bucket/key`; defaults to `true` with a custom endpoint. */
  forcePathStyle?: boolean;
  /** Credentials to use instead of the SDK's default chain (environment, profiles, roles). */
  credentials?: S3ClientConfig['credentials'];
  /** Time limit in milliseconds for one attempt to get response headers, and for any pause while the body streams. */
  requestTimeoutMs?: number;
  /** Attempts per request, the first included. The SDK retries network errors, time-outs, throttling and 5xx. */
  maxAttempts?: number;
  /** Environment with `METAFLOW_S3_ENDPOINT_URL` and the region variables. The SDK reads other `AWS_*` variables from `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Defaults that keep a thread waiting seconds, not minutes, when S3 does not respond: two
 * attempts of 10 s end well inside the bot's 30-second limit for a lookup, so the reply can
 * report that S3 timed out.
 */
export const defaultS3Timeouts = { requestTimeoutMs: 10_000, connectTimeoutMs: 5_000, maxAttempts: 2 };

/** An S3 client, and the endpoint that messages name (`undefined` when the SDK picks it). */
export interface S3Connection {
  client: S3Client;
  endpoint: string | undefined;
}

/**
 * Creates an S3 client with bounded retries and time limits. Without `endpoint`, Metaflow's
 * `METAFLOW_S3_ENDPOINT_URL` is used, and without that the SDK reads `AWS_ENDPOINT_URL_S3`
 * and `AWS_ENDPOINT_URL` itself.
 */
export function createS3Connection(options: S3ConnectionOptions): S3Connection {
  const env = options.env ?? process.env;
  const endpoint = nonEmpty(options.endpoint) ?? nonEmpty(env['METAFLOW_S3_ENDPOINT_URL']);
  const requestTimeoutMs = options.requestTimeoutMs ?? defaultS3Timeouts.requestTimeoutMs;

  const config: S3ClientConfig = {
    region: resolveRegion(options.region, env),
    // The region above may be a guess, so follow S3's redirect to the region that its error reply names.
    followRegionRedirects: true,
    maxAttempts: options.maxAttempts ?? defaultS3Timeouts.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: Math.min(requestTimeoutMs, defaultS3Timeouts.connectTimeoutMs),
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: requestTimeoutMs,
    },
  };
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
  }
  // S3-compatible stores such as MinIO serve path-style addresses unless set up with a DNS domain.
  config.forcePathStyle = options.forcePathStyle ?? endpoint !== undefined;
  if (options.credentials !== undefined) {
    config.credentials = options.credentials;
  }

  return { client: new S3Client(config), endpoint };
}

/**
 * Picks the signing region: the option, then `AWS_REGION` and `AWS_DEFAULT_REGION`, then
 * `us-east-1`. NOTE: a region set only in `~/.aws/config` is not read. With the fallback, a
 * bucket in another region costs one extra request per read, which `followRegionRedirects` repeats.
 */
function resolveRegion(region: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return nonEmpty(region) ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? 'us-east-1';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
