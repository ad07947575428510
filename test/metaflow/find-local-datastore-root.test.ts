import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLocalDatastoreRoot } from '../../src/metaflow/local/find-local-datastore-root.ts';

const base = mkdtempSync(path.join(tmpdir(), 'find-datastore-'));
const project = path.join(base, 'project');
const nested = path.join(project, 'flows', 'deep');
const elsewhere = path.join(base, 'elsewhere');
mkdirSync(path.join(project, '.metaflow'), { recursive: true });
mkdirSync(nested, { recursive: true });
mkdirSync(path.join(elsewhere, '.metaflow'), { recursive: true });

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('findLocalDatastoreRoot', () => {
  it('finds datastore in working folder', () => {
    expect(findLocalDatastoreRoot({}, project)).toBe(project);
  });

  it('finds datastore in a parent', () => {
    expect(findLocalDatastoreRoot({}, nested)).toBe(project);
  });

  it('prefers the environment variable', () => {
    expect(findLocalDatastoreRoot({ METAFLOW_DATASTORE_SYSROOT_LOCAL: elsewhere }, nested)).toBe(elsewhere);
  });

  it('resolves a relative variable from cwd', () => {
    expect(findLocalDatastoreRoot({ METAFLOW_DATASTORE_SYSROOT_LOCAL: '../../../elsewhere' }, nested)).toBe(elsewhere);
  });

  it('returns null for variable without datastore', () => {
    expect(findLocalDatastoreRoot({ METAFLOW_DATASTORE_SYSROOT_LOCAL: nested }, project)).toBeNull();
  });

  it('returns null when no parent has one', () => {
    expect(findLocalDatastoreRoot({}, base)).toBeNull();
  });
});
