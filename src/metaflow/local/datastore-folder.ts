/** Name of the folder that holds a local datastore (Metaflow's `DATASTORE_LOCAL_DIR`). */
export const localDatastoreFolder = '.metaflow';
