import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';

/** The LogFlow run whose `start` log blocks. */
export const blockingRun = 'LogFlow/1796413166374227';

/**
 * A copy of the fixture's LogFlow run in which the stdout log of the `start` task is a named
 * pipe: reading it waits until the test writes the real log into the pipe. `logs start` is then
 * a lookup that stays pending for as long as a test needs, with no hook in the bot's code.
 */
export interface BlockingDatastore {
  /** The folder that contains `.metaflow`, for `--datastore-root`. */
  root: string;
  /**
   * Puts the real log file in place of the pipe, so that later reads do not wait, and writes the
   * log into the pipe, which ends a read that waits on it now.
   */
  release(): Promise<void>;
  remove(): void;
}

const logSegments = ['LogFlow', '1796413166374227', 'start', '1', '0.runtime_stdout.log'];

/** Copies the LogFlow run into a new temporary folder and puts a named pipe in place of the `start` log. */
export function createBlockingDatastore(): BlockingDatastore {
  const root = mkdtempSync(path.join(tmpdir(), 'metaflow-blocking-'));
  const source = path.join(metaflowLocalRoot, '.metaflow', 'LogFlow');
  const target = path.join(root, '.metaflow', 'LogFlow');
  mkdirSync(target, { recursive: true });
  for (const part of ['_meta', 'data', 'latest_run', '1796413166374227']) {
    copyTree(path.join(source, part), path.join(target, part));
  }

  const pipePath = path.join(root, '.metaflow', ...logSegments);
  const content = readFileSync(path.join(metaflowLocalRoot, '.metaflow', ...logSegments));
  rmSync(pipePath);
  execFileSync('mkfifo', [pipePath]);

  return {
    root,
    async release() {
      // `r+` opens a pipe without waiting for a reader, unlike `w`. The pipe is opened before the
      // real file replaces its name, so that a reader waiting on it now still gets the content.
      const handle = await open(pipePath, 'r+');
      const replacement = `${pipePath}.real`;
      writeFileSync(replacement, content);
      renameSync(replacement, pipePath);
      await handle.writeFile(content);
      await handle.close();
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Copies files and folders with writable modes; times are not kept, since the copied run has finished. */
function copyTree(source: string, target: string): void {
  if (statSync(source).isDirectory()) {
    mkdirSync(target, { mode: 0o755 });
    for (const name of readdirSync(source)) {
      copyTree(path.join(source, name), path.join(target, name));
    }
    chmodSync(target, 0o755);
    return;
  }
  copyFileSync(source, target);
  chmodSync(target, 0o644);
}
