/** Reading a Metaflow datastore kept in S3 or an S3-compatible store. */
export { createS3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.ts';
export { parseS3Url, formatS3Url, type S3Location } from './parse-s3-url.ts';
export { defaultS3Timeouts, type S3ConnectionOptions } from './s3-client.ts';
