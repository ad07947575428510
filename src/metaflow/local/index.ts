/** Reading a local Metaflow datastore (`.metaflow`) without Python. */
export { LocalDatastoreReader, type LocalDatastoreReaderOptions } from './local-datastore-reader.ts';
export { localDatastoreFolder } from './datastore-folder.ts';
export { defaultArtifactStoreLimits, type ArtifactStoreLimits } from './artifact-store.ts';
