/**
 * Tests the production route as an operator sets it up. A Metaflow profile file names the
 * metadata service, the S3 datastore and an S3-compatible endpoint. The AWS SDK finds the keys
 * through its default chain, in a shared credentials file chosen by `AWS_PROFILE`. The real
 * command line runs the terminal chat as a child process against the loopback contract server
 * and s3rver.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { botBin } from '../slack/child-bot.ts';
import { s3rverCredentials } from '../s3/s3-test-server.ts';
import { startContractServer, type ContractServer } from './contract-server.ts';
import { datastoreBucket, datastorePrefix, startDatastoreBucket, type DatastoreBucket } from './service-s3-fixture.ts';
import { exchanges } from './service-fixture.ts';

let server: ContractServer;
let bucket: DatastoreBucket;
let home: string;

beforeAll(async () => {
  [server, bucket] = await Promise.all([startContractServer(exchanges, 'c'), startDatastoreBucket()]);
  home = mkdtempSync(path.join(tmpdir(), 'metaflowbot-profile-s3-'));
  const profile = {
    METAFLOW_DEFAULT_METADATA: 'service',
    METAFLOW_SERVICE_URL: server.url,
    METAFLOW_DEFAULT_DATASTORE: 's3',
    METAFLOW_DATASTORE_SYSROOT_S3: `s3://${datastoreBucket}/${datastorePrefix}`,
    METAFLOW_S3_ENDPOINT_URL: bucket.s3.endpoint,
  };
  writeFileSync(path.join(home, 'config_prod.json'), JSON.stringify(profile));
  const credentials = [
    '[reader]',
    `aws_access_key_id = ${s3rverCredentials.accessKeyId}`,
    `aws_secret_access_key = ${s3rverCredentials.secretAccessKey}`,
    '[stranger]',
    'aws_access_key_id = NOBODY',
    'aws_secret_access_key = NOBODY',
    '',
  ].join('\n');
  writeFileSync(path.join(home, 'credentials'), credentials);
}, 60_000);

afterAll(async () => {
  await Promise.all([server.close(), bucket.close()]);
  rmSync(home, { recursive: true, force: true });
});

/** Runs `metaflowbot chat` on profile `prod` with `lines` as its input; resolves with its output. */
async function chat(awsProfile: string, lines: readonly string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, [botBin, 'chat'], {
    cwd: home,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      METAFLOW_HOME: home,
      METAFLOW_PROFILE: 'prod',
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'),
      AWS_CONFIG_FILE: path.join(home, 'aws-config'),
      AWS_PROFILE: awsProfile,
      // The chain must find the file's keys, never ask an instance metadata address.
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(`${lines.join('\n')}\n`);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { stdout, stderr, code };
}

describe('profile with service and S3', () => {
  test('artifact and log from S3', async () => {
    const { stdout, code } = await chat('reader', ['inspect LinearParamFlow/1', 'data start/numbers', 'logs start']);
    expect(code).toBe(0);
    expect(stdout).toContain('[0, 1, 2, 3, 4]');
    expect(stdout).toContain('start: alpha=2.0 label=first-run n=5 user=alice');
  }, 60_000);

  test('status from the service', async () => {
    const { stdout } = await chat('reader', ['inspect LinearParamFlow/1', 'status']);
    expect(stdout).toContain('finished already: it succeeded');
    // The recordings lack the `transform` task list, so the task count is left out.
    expect(stdout).toContain('3 of 3 steps done');
  }, 60_000);

  test('unknown keys: access denied', async () => {
    const { stdout, code } = await chat('stranger', ['inspect LinearParamFlow/1', 'data start/numbers']);
    expect(code).toBe(0);
    expect(stdout).toContain('denied access');
    expect(stdout).toContain(`bucket "${datastoreBucket}"`);
  }, 60_000);
});
