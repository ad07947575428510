import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, readMetaflowProfile, resolveDatastoreRoot, type BotConfig, type MetaflowProfile } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import { localDatastoreFolder } from '../metaflow/local/datastore-folder.ts';
import { LocalDatastoreReader } from '../metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import { openServiceReader } from '../metaflow/service/open-service-reader.ts';

/** The sample datastore bundled with the bot, which the terminal chat and the export fall back to. */
export const sampleDatastoreRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample');

/** The profile that new threads use, and the reader of its data. */
export interface SelectedProfile {
  profile: MetaflowProfile;
  reader: MetaflowReader;
  /** A sentence about where the data comes from, when the bot fell back to the sample. */
  notice: string | null;
}

export interface OpenSelectedProfileOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
  /**
   * Whether to read the bundled sample when no datastore is configured or found. The terminal
   * chat and the export do; the Slack app does not, so that a workspace is never served demo data.
   */
  allowSample: boolean;
}

/**
 * Reads the Metaflow profile that `metaflow.profile` selects and opens its data: the metadata
 * service, the configured or found local datastore, or the bundled sample when `allowSample`
 * permits. Start-up and `config check` both call it, so they cannot disagree. Throws a
 * `ConfigError` with a sentence that names what to change when the profile cannot be used.
 */
export async function openSelectedProfile(config: BotConfig, options: OpenSelectedProfileOptions): Promise<SelectedProfile> {
  const profile = await readMetaflowProfile(config.metaflow.home, config.metaflow.profile, options.env);

  if (profile.settings.defaultMetadata === 'service') {
    const opened = openServiceReader(profile.settings, options.cwd, options.logger);
    if (opened.reader === null) {
      throw new ConfigError('unusable_profile', 'profile', `Metaflow profile ${profile.name} is unusable: ${opened.problem}`);
    }
    options.logger.info('metadata service opened', { description: opened.reader.description, profile: profile.name });
    return { profile, reader: opened.reader, notice: null };
  }

  const found = await resolveDatastoreRoot(config, profile, options.cwd);
  if (found === null && !options.allowSample) {
    throw new ConfigError('missing_setting', 'metaflow.datastoreRoot', describeMissingDatastore(profile.name, options.cwd));
  }
  if (found !== null && !(await hasLocalDatastore(found.path))) {
    const origin = found.source === 'bot-config' ? 'metaflow.datastoreRoot (--datastore-root or METAFLOW_DATASTORE_SYSROOT_LOCAL)' : `Metaflow profile ${profile.name}`;
    const message = `Datastore root ${found.path}, set by ${origin}, has no ${localDatastoreFolder} folder, so it contains no Metaflow datastore. Set it to the folder that contains ${localDatastoreFolder}.`;
    throw new ConfigError('unreadable_file', found.path, message);
  }

  const root = found?.path ?? sampleDatastoreRoot;
  const notice = found ? null : `No Metaflow datastore is configured or found from ${options.cwd}, so the bot reads its bundled sample at ${root}.`;
  const reader = new LocalDatastoreReader({ root, logger: options.logger });
  options.logger.info('datastore opened', { root, source: found?.source ?? 'sample', profile: profile.name });
  return { profile, reader, notice };
}

/** Tells whether `root` contains a local datastore's `.metaflow` folder. */
export async function hasLocalDatastore(root: string): Promise<boolean> {
  try {
    return (await stat(path.join(root, localDatastoreFolder))).isDirectory();
  } catch {
    return false;
  }
}

function describeMissingDatastore(profileName: string, cwd: string): string {
  return [
    `No Metaflow datastore is configured: Metaflow profile ${profileName} names none, and there is no ${localDatastoreFolder} folder in ${cwd} or its parents.`,
    'The Slack app does not fall back to the bundled sample.',
    `Set --datastore-root DIR (the folder that contains ${localDatastoreFolder}) or METAFLOW_DATASTORE_SYSROOT_LOCAL, or select a Metaflow profile that names a datastore or the metadata service (METAFLOW_PROFILE).`,
    `To serve the sample on purpose, start with --datastore-root ${sampleDatastoreRoot}.`,
  ].join(' ');
}
