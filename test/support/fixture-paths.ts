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

/**
 * Recorded exchanges with a Metaflow metadata service 2.5.1 (`exchanges/`, `index.json`), what
 * the official client answered (`client-view.json`, `client-trace.ndjson`) and the datastore
 * the runs wrote (`datastore/`); `README.md` there documents them.
 */
export const metadataServiceFixtureDir = path.join(unpackedFixturesDir, 'metadata-service');

/** Packed fixtures, each unpacked into `unpackedFixturesDir/<name>`. */
export const packedFixtures = [
  { name: 'metaflow-local', archive: path.join(testDir, 'fixtures', 'metaflow-local.tar.gz') },
  { name: 'metadata-service', archive: path.join(testDir, 'fixtures', 'metadata-service.tar.gz') },
];
