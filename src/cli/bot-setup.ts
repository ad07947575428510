import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { LookupContext } from '../actions/lookup-context.ts';
import type { ReplyContext } from '../actions/render-reply.ts';
import { listMetaflowProfiles, loadBotConfig, type BotConfig } from '../config/index.ts';
import { ProfileDirectory, type ProfileSource } from '../conversation/profile-directory.ts';
import { createJsonLogger, type Logger } from '../logger.ts';
import { localDatastoreFolder } from '../metaflow/local/datastore-folder.ts';
import { LocalDatastoreReader } from '../metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import { openServiceReader } from '../metaflow/service/open-service-reader.ts';
import { hasLocalDatastore, openSelectedProfile } from './open-selected-profile.ts';

/** The bot's version, from package.json. */
export const botVersion: string = packageJson.version;

/** A lookup that takes longer is reported in the thread as timed out. */
export const lookupTimeoutMs = 30_000;

/** Everything a transport (terminal chat or Slack) needs to run conversations. */
export interface BotSetup {
  config: BotConfig;
  logger: Logger;
  reader: MetaflowReader;
  lookupContext: LookupContext;
  replyContext: ReplyContext;
  /** A sentence about where the data comes from, when the bot fell back to the sample. */
  notice: string | null;
}

export interface BotSetupOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  requireSlack: boolean;
  /** Whether to read the bundled sample when no datastore is configured or found; false for the Slack app. */
  allowSample: boolean;
  /**
   * Log only warnings and errors unless a log level is configured: the terminal chat and the
   * export share the terminal with the user.
   */
  quietByDefault?: boolean;
}

/**
 * Loads the configuration and opens the Metaflow data it names: the selected profile's metadata
 * service or datastore, one found in the working folder or its parents, or else, when
 * `allowSample` permits, the bundled sample. Throws a `ConfigError` with a readable sentence
 * when something is wrong.
 */
export async function setUpBot(options: BotSetupOptions): Promise<BotSetup> {
  const { config, sources } = await loadBotConfig(options);
  const quiet = options.quietByDefault === true && sources.logLevel === 'default';
  const logger = createJsonLogger(quiet ? 'warn' : config.logLevel);
  const { profile, reader, notice } = await openSelectedProfile(config, { env: options.env, cwd: options.cwd, logger, allowSample: options.allowSample });
  const otherProfiles = await openOtherProfiles(config, options, logger);
  const profiles = new ProfileDirectory([{ name: profile.name, reader }, ...otherProfiles], profile.name, config.access);

  return {
    config,
    logger,
    reader,
    notice,
    lookupContext: {
      reader,
      now: () => Date.now(),
      staleAfterMs: config.status.staleAfterMinutes * 60_000,
      logger,
      sourceLabel: profiles.sourceLabel(profile.name),
      botVersion,
      profiles,
      profile: profile.name,
      audience: null,
    },
    replyContext: { botName: config.botName, version: botVersion, lookupTimeoutMs },
  };
}

/**
 * Opens every Metaflow profile besides the default one, each on the local datastore it names.
 * A profile the bot cannot read is kept with the reason, so that `profiles` can show it.
 */
async function openOtherProfiles(config: BotConfig, options: BotSetupOptions, logger: Logger): Promise<ProfileSource[]> {
  const entries = await listMetaflowProfiles(config.metaflow.home, options.env);
  const sources: ProfileSource[] = [];
  for (const entry of entries) {
    if (entry.name === config.metaflow.profile) {
      continue;
    }
    if (!entry.usable) {
      // The list names the profile, so the reason starts after "Metaflow profile X is unusable: ".
      sources.push({ name: entry.name, reader: null, problem: entry.reason.replace(/^Metaflow profile \S+ is unusable: /, '') });
      continue;
    }
    const settings = entry.profile.settings;
    if (settings.defaultMetadata === 'service') {
      const opened = openServiceReader(settings, options.cwd, logger);
      sources.push(opened.reader === null ? { name: entry.name, reader: null, problem: opened.problem } : { name: entry.name, reader: opened.reader });
      continue;
    }
    if (settings.defaultDatastore === 's3') {
      sources.push({ name: entry.name, reader: null, problem: 'it keeps run metadata locally (METAFLOW_DEFAULT_METADATA=local) and artifacts in S3. The bot reads run metadata from a local datastore or the metadata service, so it cannot list these runs.' });
      continue;
    }
    const root = settings.datastoreSysrootLocal === null ? null : path.resolve(options.cwd, settings.datastoreSysrootLocal);
    if (root === null || !(await hasLocalDatastore(root))) {
      sources.push({ name: entry.name, reader: null, problem: `it names no local datastore with a ${localDatastoreFolder} folder (METAFLOW_DATASTORE_SYSROOT_LOCAL).` });
      continue;
    }
    sources.push({ name: entry.name, reader: new LocalDatastoreReader({ root, logger }) });
    logger.info('datastore opened', { root, source: 'profile', profile: entry.name });
  }
  return sources;
}
