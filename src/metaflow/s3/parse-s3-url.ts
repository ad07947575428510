/** A datastore root in S3: the bucket, and the key prefix that every datastore key sits under. */
export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing `/`; empty when the datastore is the bucket's root. */
  prefix: string;
}

/**
 * S3's naming rules for general purpose buckets: 3 to 63 characters, lowercase letters,
 * digits, `.` and `-`, starting and ending with a letter or a digit. Buckets created in
 * us-east-1 before March 2018 may also contain uppercase letters and `_`, so those pass too.
 */
const bucketPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/;

/**
 * Parses a datastore root such as `METAFLOW_DATASTORE_SYSROOT_S3` (`s3://bucket/prefix`).
 * Trailing `/` are dropped. Throws an `Error` whose message repeats the URL and names the
 * problem when the scheme is not `s3://`, the bucket name is invalid, or the prefix contains
 * an empty, `.` or `..` segment.
 */
export function parseS3Url(url: string): S3Location {
  const scheme = 's3://';
  if (!url.startsWith(scheme)) {
    throw new Error(`Invalid S3 URL ${JSON.stringify(url)}: it must start with s3://, as in s3://my-bucket/metaflow.`);
  }

  const rest = url.slice(scheme.length).replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);

  if (!bucketPattern.test(bucket)) {
    const rule = 'a bucket name has 3 to 63 letters, digits, ".", "-" or "_", and starts and ends with a letter or digit';
    throw new Error(`Invalid S3 URL ${JSON.stringify(url)}: bucket ${JSON.stringify(bucket)} is not a valid bucket name (${rule}).`);
  }

  const badSegment = prefix === '' ? undefined : prefix.split('/').find((segment) => segment === '' || segment === '.' || segment === '..');
  if (badSegment !== undefined) {
    throw new Error(`Invalid S3 URL ${JSON.stringify(url)}: the key prefix must not contain empty, "." or ".." segments.`);
  }

  return { bucket, prefix };
}

/** Formats a location back as `s3://bucket/prefix`, or `s3://bucket` for the bucket's root. */
export function formatS3Url(location: S3Location): string {
  return location.prefix === '' ? `s3://${location.bucket}` : `s3://${location.bucket}/${location.prefix}`;
}
