import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleDatastoreRoot } from '../../src/cli/open-selected-profile.ts';
import { makeTempFolder, type TempFolder } from '../config/temp-folder.ts';

/** The command line entry point, as `npm start` runs it. */
const botBin = path.resolve(import.meta.dirname, '../../bin/metaflowbot.js');

/** Time a bot process may take to start, reply and exit, in milliseconds. */
const runTimeoutMs = 30_000;

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

/**
 * Runs `bin/metaflowbot.js` in the temp folder, which has no `.metaflow` in it or its parents and
 * an empty Metaflow home, and resolves with its exit code and output. `SLACK_API_URL` points at
 * loopback port 9, so a bot that started anyway would reach no outside server.
 */
function runBot(argv: string[], options: { slackTokens: boolean; input?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const tokens = options.slackTokens ? { SLACK_BOT_TOKEN: 'xoxb-1111-2222-abcdefghijkl', SLACK_APP_TOKEN: 'xapp-1-A111-2222-mnopqrstuvwx' } : {};
  const child = spawn(process.execPath, [botBin, ...argv], {
    cwd: folder.path,
    env: { PATH: process.env['PATH'] ?? '', HOME: folder.path, METAFLOW_HOME: path.join(folder.path, 'mf'), SLACK_API_URL: 'http://127.0.0.1:9/api/', ...tokens },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`metaflowbot ${argv.join(' ')} did not exit within ${runTimeoutMs} ms. stderr: ${stderr}`));
    }, runTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('sample datastore fallback', () => {
  it('serve rejects a missing datastore', async () => {
    const result = await runBot(['serve'], { slackTokens: true });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Configuration error: No Metaflow datastore is configured');
    expect(result.stderr).toContain('--datastore-root DIR');
    expect(result.stderr).toContain('METAFLOW_DATASTORE_SYSROOT_LOCAL');
    expect(result.stderr).toContain(`start with --datastore-root ${sampleDatastoreRoot}.`);
    expect(result.stderr).not.toContain('Slack app started');
  });

  it('start with tokens rejects it too', async () => {
    const result = await runBot(['start'], { slackTokens: true });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Configuration error: No Metaflow datastore is configured');
  });

  it('chat falls back to the sample', async () => {
    const result = await runBot(['chat'], { slackTokens: false, input: 'flows\n' });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`so the bot reads its bundled sample at ${sampleDatastoreRoot}.`);
    expect(result.stdout).toContain('HelloFlow');
  });

  it('start without tokens falls back too', async () => {
    const result = await runBot(['start'], { slackTokens: false, input: 'flows\n' });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('so the bot starts in the terminal chat');
    expect(result.stdout).toContain('HelloFlow');
  });
});
