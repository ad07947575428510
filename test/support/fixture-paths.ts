import path from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Folder that the global setup unpacks the packed fixtures into. */
export const unpackedFixturesDir = path.join(testDir, '.fixtures');

/**
 * Root of the real Metaflow 2.19.38 local datastore (the folder holding `.metaflow`),
 * with `oracle.json`: what the official Python client returned for every object in it.
 */
export const metaflowLocalRoot = path.join(unpackedFixturesDir, 'metaflow-local');

export const oraclePath = path.join(metaflowLocalRoot, 'oracle.json');

/** Packed fixtures, each unpacked into `unpackedFixturesDir/<name>`. */
export const packedFixtures = [
  { name: 'metaflow-local', archive: path.join(testDir, 'fixtures', 'metaflow-local.tar.gz') },
];
