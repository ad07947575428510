import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config-error.ts';
import { describeJsonSyntaxError } from './describe-json-syntax-error.ts';
import { maskSecret, maskUrlCredentials } from './mask-secret.ts';
import {
  metaflowSettingSpecs,
  type MetaflowSettings,
  type MetaflowSettingSource,
  type MetaflowSettingSpec,
} from './metaflow-settings.ts';
import { defaultProfileName, profileFileName, validateProfileName } from './profile-name.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

/** A Metaflow profile's settings, and where each one came from. */
export interface MetaflowProfile {
  /** `default` for `config.json`, else the `<name>` of `config_<name>.json`. */
  name: string;
  /** Absolute path of the profile's file, read or looked for. */
  path: string;
  /** False when `config.json` is missing, which Metaflow accepts by using its defaults. */
  fileFound: boolean;
  settings: MetaflowSettings;
  sources: Record<keyof MetaflowSettings, MetaflowSettingSource>;
}

/**
 * Reads a Metaflow profile from `home` as Metaflow does with `METAFLOW_PROFILE=<name>`:
 * the file `config_<name>.json`, or `config.json` for `default`, with `METAFLOW_*`
 * variables in `env` overriding its keys. The name is validated before any file access.
 * Throws a `ConfigError` for an invalid name, a missing named profile, an unreadable or
 * invalid file, a value the bot cannot use, or a missing service URL or S3 root.
 */
export async function readMetaflowProfile(home: string, profileName: string, env: NodeJS.ProcessEnv): Promise<MetaflowProfile> {
  validateProfileName(profileName);
  const homeDir = resolveConfigPath(home, process.cwd(), env);
  const filePath = path.join(homeDir, profileFileName(profileName));

  const fileData = await readProfileFile(filePath, profileName, homeDir);
  const settings: Partial<Record<keyof MetaflowSettings, unknown>> = {};
  const sources: Partial<Record<keyof MetaflowSettings, MetaflowSettingSource>> = {};
  for (const spec of metaflowSettingSpecs) {
    const { value, source } = pickValue(spec, fileData ?? {}, env, profileName, filePath);
    settings[spec.field] = value;
    sources[spec.field] = source;
  }

  const profile: MetaflowProfile = {
    name: profileName,
    path: filePath,
    fileFound: fileData !== undefined,
    settings: settings as MetaflowSettings,
    sources: sources as MetaflowProfile['sources'],
  };
  checkBackendSettings(profile);
  return profile;
}

/** Returns the file's object, or `undefined` for a missing `config.json`. */
async function readProfileFile(filePath: string, profileName: string, homeDir: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT' && profileName === defaultProfileName) {
      return undefined;
    }
    if (code === 'ENOENT') {
      const message = `Metaflow profile ${profileName} not found: there is no ${path.basename(filePath)} in ${homeDir}.`;
      throw new ConfigError('profile_not_found', 'profile', message, { cause: error });
    }
    throw new ConfigError('unreadable_file', filePath, `Cannot read Metaflow profile ${profileName} from ${filePath}: ${String(error)}.`, { cause: error });
  }
  return parseProfileJson(text, filePath, profileName);
}

function parseProfileJson(text: string, filePath: string, profileName: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const detail = describeJsonSyntaxError(error, text);
    throw new ConfigError('invalid_file', filePath, `Metaflow profile ${profileName} is unusable: ${filePath} is not valid JSON (${detail}).`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const message = `Metaflow profile ${profileName} is unusable: ${filePath} must contain a JSON object of METAFLOW_* keys.`;
    throw new ConfigError('invalid_file', filePath, message);
  }
  return data as Record<string, unknown>;
}

/** Picks the environment's value, else the file's, else the default. A key set to `null` in the file counts as absent. */
function pickValue(
  spec: MetaflowSettingSpec,
  fileData: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  profileName: string,
  filePath: string,
): { value: unknown; source: MetaflowSettingSource } {
  const envValue = env[spec.name];
  const fileValue = fileData[spec.name];
  if (envValue !== undefined) {
    return { value: parseSetting(spec, envValue, `from the environment`, profileName), source: 'env' };
  }
  if (fileValue !== undefined && fileValue !== null) {
    return { value: parseSetting(spec, fileValue, `in ${path.basename(filePath)}`, profileName), source: 'file' };
  }
  return { value: spec.defaultValue, source: 'default' };
}

function parseSetting(spec: MetaflowSettingSpec, raw: unknown, origin: string, profileName: string): unknown {
  try {
    return spec.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const displayedValue = describeRawValue(raw, spec.secret);
    const message = `Metaflow profile ${profileName} is unusable: ${spec.name} ${origin} is ${displayedValue}, which is invalid: ${reason}.`;
    throw new ConfigError('invalid_value', spec.name, message, { cause: error });
  }
}

/** Quotes a rejected value for an error message: a secret masked, and any URL without its user name and password. */
function describeRawValue(raw: unknown, secret: boolean): string {
  if (typeof raw === 'string') {
    if (secret) {
      return maskSecret(raw);
    }
    const masked = maskUrlCredentials(raw);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 80)}…` : masked);
  }
  if (Array.isArray(raw)) {
    return 'a list';
  }
  return raw !== null && typeof raw === 'object' ? 'an object' : String(raw);
}

/**
 * Checks that the chosen backends have their locations. Metaflow's `from_conf` does not
 * check this when it reads its configuration, so the bot checks when it reads the profile.
 */
function checkBackendSettings(profile: MetaflowProfile): void {
  const { settings } = profile;
  if (settings.defaultMetadata === 'service' && settings.serviceUrl === null) {
    const message = `Metaflow profile ${profile.name} is unusable: METAFLOW_DEFAULT_METADATA is service but METAFLOW_SERVICE_URL is not set.`;
    throw new ConfigError('missing_setting', 'METAFLOW_SERVICE_URL', message);
  }
  if (settings.defaultDatastore === 's3' && settings.datastoreSysrootS3 === null) {
    const message = `Metaflow profile ${profile.name} is unusable: METAFLOW_DEFAULT_DATASTORE is s3 but METAFLOW_DATASTORE_SYSROOT_S3 is not set.`;
    throw new ConfigError('missing_setting', 'METAFLOW_DATASTORE_SYSROOT_S3', message);
  }
}
