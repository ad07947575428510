import { MetaflowError } from '../errors.ts';

/** The object a failed request was for, and the endpoint that messages name. */
export interface S3RequestTarget {
  bucket: string;
  key: string;
  /** Custom endpoint URL, or `undefined` for the SDK's choice (AWS itself, or `AWS_ENDPOINT_URL*`). */
  endpoint: string | undefined;
}

/** The fields of an AWS SDK error, or of a Node network error, that decide what it means. */
interface FailureFacts {
  /** S3 error code such as `NoSuchKey`, or the SDK's error name. */
  name: string;
  /** HTTP status, absent when no response arrived. */
  status: number | undefined;
  /** Node's system error code such as `ECONNREFUSED`. */
  systemCode: string | undefined;
  attempts: number | undefined;
  message: string;
}

/** S3 error codes that mean the caller may not read, whatever the HTTP status. */
const deniedNames = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'AllAccessDisabled', 'AccountProblem']);

/**
 * Tells whether `error` means the object does not exist: `NoSuchKey` from GetObject, or a
 * bare 404 from HeadObject, whose reply has no body to name the code.
 */
export function isMissingObject(error: unknown): boolean {
  const facts = readFailureFacts(error);
  return facts.name === 'NoSuchKey' || (facts.status === 404 && facts.name !== 'NoSuchBucket');
}

/** Returns the HTTP status of a failed request, or `undefined` when no response arrived. */
export function httpStatusOf(error: unknown): number | undefined {
  return readFailureFacts(error).status;
}

/**
 * Translates a failed S3 request into a `MetaflowError`: `access_denied` for a 403 or a
 * credentials problem, `unavailable` for everything else (a missing bucket, network errors,
 * time-outs, 5xx after the SDK's retries). The message names the bucket and key, never a
 * credential, and `cause` keeps the SDK's error.
 */
export function describeS3Failure(error: unknown, target: S3RequestTarget): MetaflowError {
  const facts = readFailureFacts(error);
  const url = `s3://${target.bucket}/${target.key}`;
  const where = target.endpoint === undefined ? 'S3' : `S3 at ${target.endpoint}`;
  const tries = facts.attempts !== undefined && facts.attempts > 1 ? ` after ${facts.attempts} attempts` : '';

  if (facts.name === 'CredentialsProviderError') {
    const message = `No AWS credentials were found to read ${url}. Set them in the environment, a shared AWS profile or an instance role.`;
    return new MetaflowError('access_denied', message, { cause: error });
  }
  if (facts.status === 403 || deniedNames.has(facts.name)) {
    // A HEAD reply has no body to name the S3 error code. For s3rver's 403 the SDK then names it `Unknown`.
    const reason = facts.name === 'Unknown' ? `HTTP ${facts.status}` : facts.name;
    const message = `${where} denied access to ${url} (${reason}). Check that the bot's AWS credentials may read bucket "${target.bucket}".`;
    return new MetaflowError('access_denied', message, { cause: error });
  }
  if (facts.name === 'NoSuchBucket') {
    return describeMissingBucket(target, error);
  }
  if (facts.status === undefined) {
    const message = `Reading ${url} from ${where} failed${tries}: ${describeNetworkFailure(facts)}.`;
    return new MetaflowError('unavailable', message, { cause: error });
  }
  const verb = facts.status >= 500 ? 'failed' : 'rejected the request';
  const message = `${where} ${verb} to read ${url} with HTTP ${facts.status} (${facts.name})${tries}.`;
  return new MetaflowError('unavailable', message, { cause: error });
}

/**
 * Describes a datastore whose bucket does not exist. The code is `unavailable`, not
 * `not_found`, because the whole datastore is misconfigured, not one flow or run missing.
 */
export function describeMissingBucket(target: S3RequestTarget, cause: unknown): MetaflowError {
  const at = target.endpoint === undefined ? '' : ` at ${target.endpoint}`;
  const message = `S3 bucket "${target.bucket}" does not exist${at}. Check METAFLOW_DATASTORE_SYSROOT_S3 and the S3 endpoint.`;
  return new MetaflowError('unavailable', message, { cause });
}

function describeNetworkFailure(facts: FailureFacts): string {
  if (facts.name === 'TimeoutError' || facts.systemCode === 'ETIMEDOUT') {
    return 'the request timed out';
  }
  if (facts.systemCode === 'ECONNREFUSED') {
    return 'the connection was refused (ECONNREFUSED)';
  }
  return facts.systemCode === undefined ? facts.message : `${facts.message} (${facts.systemCode})`;
}

/** Reads the SDK's `$metadata` and Node's `code` from an error of unknown shape. */
function readFailureFacts(error: unknown): FailureFacts {
  if (!(error instanceof Error)) {
    return { name: 'Error', status: undefined, systemCode: undefined, attempts: undefined, message: String(error) };
  }

  const metadata: unknown = '$metadata' in error ? error.$metadata : undefined;
  const code: unknown = 'code' in error ? error.code : undefined;
  return {
    name: error.name,
    status: numberField(metadata, 'httpStatusCode'),
    systemCode: typeof code === 'string' ? code : undefined,
    attempts: numberField(metadata, 'attempts'),
    message: error.message,
  };
}

function numberField(value: unknown, field: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(field in value)) {
    return undefined;
  }
  const fieldValue: unknown = (value as Record<string, unknown>)[field];
  return typeof fieldValue === 'number' ? fieldValue : undefined;
}
