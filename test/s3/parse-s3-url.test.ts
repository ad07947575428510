import { describe, expect, it } from 'vitest';
import { formatS3Url, parseS3Url } from '../../src/metaflow/s3/parse-s3-url.ts';

describe('parseS3Url', () => {
  it.each([
    ['s3://my-bucket/metaflow', 'my-bucket', 'metaflow'],
    ['s3://my-bucket/team/metaflow/', 'my-bucket', 'team/metaflow'],
    ['s3://my-bucket', 'my-bucket', ''],
    ['s3://my-bucket/', 'my-bucket', ''],
    ['s3://my.bucket.2024/a', 'my.bucket.2024', 'a'],
  ])('parses %s', (url, bucket, prefix) => {
    expect(parseS3Url(url)).toEqual({ bucket, prefix });
  });

  it.each([
    ['https://my-bucket/metaflow', 'must start with s3://'],
    ['S3://my-bucket/metaflow', 'must start with s3://'],
    ['my-bucket/metaflow', 'must start with s3://'],
    ['s3://', 'is not a valid bucket name'],
    ['s3:///metaflow', 'is not a valid bucket name'],
    ['s3://ab/metaflow', 'is not a valid bucket name'],
    ['s3://-bucket/metaflow', 'is not a valid bucket name'],
    ['s3://my bucket/metaflow', 'is not a valid bucket name'],
    ['s3://my-bucket/a//b', 'must not contain empty'],
    ['s3://my-bucket/a/../b', 'must not contain empty'],
    ['s3://my-bucket/./b', 'must not contain empty'],
  ])('rejects %s', (url, problem) => {
    expect(() => parseS3Url(url)).toThrow(problem);
  });

  it('echoes bad URL in message', () => {
    expect(() => parseS3Url('gs://data/metaflow')).toThrow('"gs://data/metaflow"');
  });
});

describe('formatS3Url', () => {
  it('formats bucket and prefix', () => {
    expect(formatS3Url({ bucket: 'my-bucket', prefix: 'team/metaflow' })).toBe('s3://my-bucket/team/metaflow');
  });

  it('formats bucket root', () => {
    expect(formatS3Url({ bucket: 'my-bucket', prefix: '' })).toBe('s3://my-bucket');
  });
});
