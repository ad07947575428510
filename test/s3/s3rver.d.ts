/** The part of s3rver 3.7's API that the tests use, since the package ships no types. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    /** `0` picks a free port. */
    port?: number;
    /** Folder where buckets and objects are kept. */
    directory: string;
    silent?: boolean;
    /** Buckets created before the server starts listening. */
    configureBuckets?: { name: string }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
