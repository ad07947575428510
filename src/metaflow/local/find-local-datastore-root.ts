import { statSync } from 'node:fs';
import path from 'node:path';

/** Name of the folder that contains a local datastore (Metaflow's `DATASTORE_LOCAL_DIR`). */
export const localDatastoreFolder = '.metaflow';

/**
 * Finds the folder that contains a `.metaflow` datastore, the way Metaflow 2.19.38 does
 * (`LocalStorage.get_datastore_root_from_config`): `METAFLOW_DATASTORE_SYSROOT_LOCAL` when it
 * is set, else the working folder or its nearest parent that contains `.metaflow`.
 *
 * Returns the absolute path of that folder (not of `.metaflow` itself), or `null` when there
 * is none. A set variable that names a folder without `.metaflow` also gives `null`, since
 * Metaflow does not search further in that case either.
 *
 * NOTE: Metaflow also reads the variable from `~/.metaflowconfig/config.json`; this function
 * looks only at `env`.
 */
export function findLocalDatastoreRoot(env: Readonly<Record<string, string | undefined>>, cwd: string): string | null {
  const configured = env['METAFLOW_DATASTORE_SYSROOT_LOCAL'];
  if (configured) {
    const sysroot = path.resolve(cwd, configured);
    return isDirectory(path.join(sysroot, localDatastoreFolder)) ? sysroot : null;
  }

  let current = path.resolve(cwd);
  for (;;) {
    if (isDirectory(path.join(current, localDatastoreFolder))) {
      return current;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return null;
    }
    current = parent;
  }
}

function isDirectory(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}
