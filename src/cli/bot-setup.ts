import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import packageJson from '../../package.json' with { type: 'json' };
import type { LookupContext } from '../actions/lookup-context.ts';
import type { ReplyContext } from '../actions/render-reply.ts';
import { listMetaflowProfiles, loadBotConfig, readMetaflowProfile, resolveDatastoreRoot, type BotConfig } from '../config/index.ts';
import { ProfileDirectory, type ProfileSource } from '../conversation/profile-directory.ts';
import { createJsonLogger, type Logger } from '../logger.ts';
import { localDatastoreFolder } from '../metaflow/local/datastore-folder.ts';
import { LocalDatastoreReader } from '../metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';
import { openServiceReader } from '../metaflow/service/open-service-reader.ts';

/** The bot's version, from package.json. */
export const botVersion: string = packageJson.version;

/** The sample datastore bundled with the bot, used when none is configured or found. */
export const sampleDatastoreRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sample');

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
  /**
   * Log only warnings and errors unless a log level is configured: the terminal chat and the
   * export share the terminal with the user.
   */
  quietByDefault?: boolean;
}

/**
 * Loads the configuration and opens the Metaflow data it names: the configured datastore, the
 * profile's, one found in the working folder or its parents, or else the bundled sample.
 * Throws a `ConfigError` with a readable sentence when something is wrong.
 */
export async function setUpBot(options: BotSetupOptions): Promise<BotSetup> {
  const { config, sources } = await loadBotConfig(options);
  const quiet = options.quietByDefault === true && sources.logLevel === 'default';
  const logger = createJsonLogger(quiet ? 'warn' : config.logLevel);
  const profile = await readMetaflowProfile(config.metaflow.home, config.metaflow.profile, options.env);
  if (profile.settings.defaultMetadata === 'service') {
    return setUpServiceBot(config, profile.name, profile.settings, options, logger);
  }

  const found = await resolveDatastoreRoot(config, profile, options.cwd);
  if (found && !(await isFolder(path.join(found.path, localDatastoreFolder)))) {
    const origin = found.source === 'bot-config' ? 'the datastore root setting' : `Metaflow profile "${profile.name}"`;
    throw new Error(`${found.path} has no ${localDatastoreFolder} folder, so it holds no Metaflow datastore (set by ${origin}).`);
  }
  const root = found?.path ?? sampleDatastoreRoot;
  const notice = found
    ? null
    : `No Metaflow datastore is configured or found from ${options.cwd}, so the bot reads its bundled sample at ${root}.`;
  const reader = new LocalDatastoreReader({ root, logger });
  logger.info('datastore opened', { root, source: found?.source ?? 'sample', profile: profile.name });
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

/** Sets the bot up on a profile that reads the Metaflow metadata service. */
async function setUpServiceBot(
  config: BotConfig,
  profileName: string,
  settings: Parameters<typeof openServiceReader>[0],
  options: BotSetupOptions,
  logger: Logger,
): Promise<BotSetup> {
  const opened = openServiceReader(settings, options.cwd, logger);
  if (opened.reader === null) {
    throw new Error(`Metaflow profile "${profileName}" cannot be read because ${opened.problem}`);
  }
  const reader = opened.reader;
  logger.info('metadata service opened', { description: reader.description, profile: profileName });
  const otherProfiles = await openOtherProfiles(config, options, logger);
  const profiles = new ProfileDirectory([{ name: profileName, reader }, ...otherProfiles], profileName, config.access);
  return {
    config,
    logger,
    reader,
    notice: null,
    lookupContext: {
      reader,
      now: () => Date.now(),
      staleAfterMs: config.status.staleAfterMinutes * 60_000,
      logger,
      sourceLabel: profiles.sourceLabel(profileName),
      botVersion,
      profiles,
      profile: profileName,
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
      sources.push({ name: entry.name, reader: null, problem: entry.reason });
      continue;
    }
    const settings = entry.profile.settings;
    if (settings.defaultMetadata === 'service') {
      const opened = openServiceReader(settings, options.cwd, logger);
      sources.push(opened.reader === null ? { name: entry.name, reader: null, problem: opened.problem } : { name: entry.name, reader: opened.reader });
      continue;
    }
    const root = settings.datastoreSysrootLocal === null ? null : path.resolve(options.cwd, settings.datastoreSysrootLocal);
    if (root === null || !(await isFolder(path.join(root, localDatastoreFolder)))) {
      sources.push({ name: entry.name, reader: null, problem: `it names no local datastore with a ${localDatastoreFolder} folder (METAFLOW_DATASTORE_SYSROOT_LOCAL).` });
      continue;
    }
    sources.push({ name: entry.name, reader: new LocalDatastoreReader({ root, logger }) });
    logger.info('datastore opened', { root, source: 'profile', profile: entry.name });
  }
  return sources;
}

async function isFolder(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}
