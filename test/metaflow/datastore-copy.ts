import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';

/** A writable copy of part of the fixture datastore, for tests that damage files. */
export interface DatastoreCopy {
  /** The folder that contains `.metaflow`. */
  root: string;
  /** The `.metaflow` folder. */
  datastore: string;
  remove(): void;
}

/**
 * Copies the given runs of one flow (with the flow's `_meta` and blob store) into a new
 * temporary folder. Timestamps are kept, so activity times stay those of the fixture, and the
 * read-only modes of the fixture are lifted so that tests can change files.
 */
export function copyFixtureRuns(flow: string, runIds: readonly string[]): DatastoreCopy {
  const root = mkdtempSync(path.join(tmpdir(), 'metaflow-copy-'));
  const datastore = path.join(root, '.metaflow');
  mkdirSync(path.join(datastore, flow), { recursive: true });
  for (const part of ['_meta', 'data', ...runIds]) {
    copyTree(path.join(metaflowLocalRoot, '.metaflow', flow, part), path.join(datastore, flow, part));
  }
  return { root, datastore, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Copies files and folders with writable modes, then gives each the source's times. */
function copyTree(source: string, target: string): void {
  const stats = statSync(source);
  if (stats.isDirectory()) {
    mkdirSync(target, { mode: 0o755 });
    for (const name of readdirSync(source)) {
      copyTree(path.join(source, name), path.join(target, name));
    }
  } else {
    copyFileSync(source, target);
    chmodSync(target, 0o644);
  }
  utimesSync(target, stats.atime, stats.mtime);
}
