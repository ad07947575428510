import { spawn } from 'node:child_process';
import { readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempFolder, type TempFolder } from '../config/temp-folder.ts';

/** The command line entry point, as `npm start` runs it. */
const botBin = path.resolve(import.meta.dirname, '../../bin/metaflowbot.js');

/** Time a bot process may take to start, reply and exit, in milliseconds. */
const runTimeoutMs = 30_000;

/** Sets a run of the bundled sample, exports its tasks as CSV, then requests its status. */
const exportThenStatus = 'inspect HelloFlow/1796413115203743\nexport csv run\nstatus\n';

/** The reply to `status` above, which shows that the chat went on after the export. */
const statusReply = 'finished already: it succeeded';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

/**
 * Runs `metaflowbot chat` in the temp folder, which has no datastore, so the chat reads the
 * bundled sample. Resolves with the exit code and output.
 */
function runChat(argv: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [botBin, 'chat', ...argv], {
    cwd: folder.path,
    env: { PATH: process.env['PATH'] ?? '', HOME: folder.path, METAFLOW_HOME: path.join(folder.path, 'mf') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(input);

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`metaflowbot chat ${argv.join(' ')} did not exit within ${runTimeoutMs} ms. stderr: ${stderr}`));
    }, runTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('chat --output-dir at start-up', () => {
  it('rejects a regular file', async () => {
    const file = await folder.write('file-not-dir', 'text');

    const result = await runChat(['--output-dir', file], exportThenStatus);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Configuration error: Invalid --output-dir ${file}: it is not a directory. Name a directory the chat can write to, or leave out the option to use ./out.\n`,
    );
    expect(result.stdout).toBe('');
  });

  it('rejects a dangling link', async () => {
    const missing = path.join(folder.path, 'missing');
    const link = path.join(folder.path, 'link');
    await symlink(missing, link);

    const result = await runChat(['--output-dir', link], exportThenStatus);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Invalid --output-dir ${link}: it is a symbolic link to ${missing}, which does not exist.`);
    expect(result.stdout).toBe('');
  });

  it('rejects a file in the path', async () => {
    const file = await folder.write('file-not-dir', 'text');

    const result = await runChat(['--output-dir', path.join(file, 'exports')], exportThenStatus);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Invalid --output-dir ${path.join(file, 'exports')}: ${file} is not a directory.`);
  });

  it('creates a missing nested directory', async () => {
    const outputDir = path.join(folder.path, 'a', 'b');

    const result = await runChat(['--output-dir', outputDir], exportThenStatus);

    expect(result.code).toBe(0);
    const written = await readdir(outputDir);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^HelloFlow-1796413115203743-tasks-\d{8}T\d{6}Z\.csv$/);
    expect(result.stdout).toContain(`File written: ${path.join(outputDir, written[0] ?? '')}`);
  });
});

describe('chat attached file failures', () => {
  it('reports an unwritable default directory', async () => {
    // `./out` is a file, so the first attached file cannot be written.
    const out = await folder.write('out', 'text');

    const result = await runChat([], exportThenStatus);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exported 3 tasks of `HelloFlow/1796413115203743` as CSV');
    expect(result.stdout).toMatch(
      new RegExp(`Writing HelloFlow-1796413115203743-tasks-\\d{8}T\\d{6}Z\\.csv to ${escapeRegExp(out)} failed because it is not a directory, so start the chat again with another --output-dir\\.`),
    );
    expect(result.stdout).toContain(statusReply);
    expect(result.stdout).not.toContain('File written');
    expect(result.stderr).toContain('attached file could not be written');
    expect(result.stderr).not.toContain('reply could not be delivered');
  });

  it('reports the failure in JSON', async () => {
    const out = await folder.write('out', 'text');

    const result = await runChat(['--json'], exportThenStatus);

    expect(result.code).toBe(0);
    const replies = result.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { text: string; file: unknown; file_error?: string });
    const exported = replies.find((reply) => reply.text.startsWith('Exported 3 tasks'));
    expect(exported?.file).toBeNull();
    expect(exported?.file_error).toMatch(new RegExp(`^Writing HelloFlow-1796413115203743-tasks-\\S+\\.csv to ${escapeRegExp(out)} failed because it is not a directory`));
    expect(replies.at(-1)?.text).toContain(statusReply);
  });
});
