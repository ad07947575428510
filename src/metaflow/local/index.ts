/** Reading a local Metaflow datastore (`.metaflow`) without Python. */
export { LocalDatastoreReader, type LocalDatastoreReaderOptions } from './local-datastore-reader.ts';
export { findLocalDatastoreRoot, localDatastoreFolder } from './find-local-datastore-root.ts';
export { defaultArtifactStoreLimits, type ArtifactStoreLimits } from './artifact-store.ts';
