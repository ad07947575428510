import { stat } from 'node:fs/promises';
import path from 'node:path';
import { localDatastoreFolder } from '../metaflow/local/datastore-folder.ts';
import type { BotConfig } from './bot-config.ts';
import type { MetaflowProfile } from './read-metaflow-profile.ts';


/** The folder that contains `.metaflow`, and which rule chose it. */
export interface DatastoreRoot {
  path: string;
  source: 'bot-config' | 'profile' | 'search';
}

/**
 * Finds the local datastore's root, the folder that contains `.metaflow`. The bot's
 * `metaflow.datastoreRoot` wins, then the profile's `METAFLOW_DATASTORE_SYSROOT_LOCAL`
 * (relative to `cwd`). Without either, it searches `cwd` and its parents for a `.metaflow`
 * folder, as Metaflow's local storage does. Returns `null` when the search finds none,
 * where Metaflow would create `.metaflow` in `cwd` and the bot, which only reads, does not.
 */
export async function resolveDatastoreRoot(config: BotConfig, profile: MetaflowProfile, cwd: string): Promise<DatastoreRoot | null> {
  if (config.metaflow.datastoreRoot !== undefined) {
    return { path: config.metaflow.datastoreRoot, source: 'bot-config' };
  }
  if (profile.settings.datastoreSysrootLocal !== null) {
    return { path: path.resolve(cwd, profile.settings.datastoreSysrootLocal), source: 'profile' };
  }

  let folder = path.resolve(cwd);
  for (;;) {
    if (await isFolder(path.join(folder, localDatastoreFolder))) {
      return { path: folder, source: 'search' };
    }
    const parent = path.dirname(folder);
    if (parent === folder) {
      return null;
    }
    folder = parent;
  }
}

async function isFolder(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}
