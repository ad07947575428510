import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, isConfigError } from './config-error.ts';
import { defaultProfileName, isValidProfileName, profileFileName } from './profile-name.ts';
import { readMetaflowProfile, type MetaflowProfile } from './read-metaflow-profile.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

/** A profile found in the Metaflow home folder: usable, or unusable with the reason. */
export type MetaflowProfileEntry =
  | { name: string; path: string; usable: true; profile: MetaflowProfile }
  | { name: string; path: string; usable: false; reason: string; error: ConfigError };

const profileFilePattern = /^config_(.+)\.json$/;

/**
 * Lists the Metaflow profiles in `home`: `default` first, then each `config_<name>.json`
 * by name. `default` is always listed, because Metaflow runs on its defaults when
 * `config.json` is missing. Each profile is read with `env` as `readMetaflowProfile`
 * reads it, and one that fails (invalid JSON, a bad value, a name users cannot type) is
 * listed as unusable with the reason instead of failing the list. A missing `home` lists
 * only `default`; a `home` that cannot be read throws an `unreadable_file` `ConfigError`.
 */
export async function listMetaflowProfiles(home: string, env: NodeJS.ProcessEnv = {}): Promise<MetaflowProfileEntry[]> {
  const homeDir = resolveConfigPath(home, process.cwd(), env);
  const fileNames = await readFolder(homeDir);

  const names = fileNames
    .map((fileName) => profileFilePattern.exec(fileName)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();

  const entries = [await describeProfile(homeDir, defaultProfileName, env)];
  for (const name of names) {
    entries.push(name === defaultProfileName ? describeShadowedDefault(homeDir) : await describeProfile(homeDir, name, env));
  }
  return entries;
}

async function readFolder(homeDir: string): Promise<string[]> {
  try {
    return await readdir(homeDir);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') {
      return [];
    }
    throw new ConfigError('unreadable_file', homeDir, `Cannot list the Metaflow profiles in ${homeDir}: ${String(error)}.`, { cause: error });
  }
}

async function describeProfile(homeDir: string, name: string, env: NodeJS.ProcessEnv): Promise<MetaflowProfileEntry> {
  const filePath = path.join(homeDir, profileFileName(name));
  const unusable = (error: ConfigError): MetaflowProfileEntry => ({ name, path: filePath, usable: false, reason: error.message, error });

  if (!isValidProfileName(name)) {
    const message = `Metaflow profile file ${path.basename(filePath)} cannot be selected: a profile name is 1 to 128 letters, digits, _, . or -, without "..". Rename the file.`;
    return unusable(new ConfigError('invalid_profile_name', filePath, message));
  }

  try {
    const profile = await readMetaflowProfile(homeDir, name, env);
    return { name, path: filePath, usable: true, profile };
  } catch (error) {
    if (isConfigError(error)) {
      return unusable(error);
    }
    throw error;
  }
}

/** `config_default.json` exists but cannot be selected, because the name `default` means `config.json`. */
function describeShadowedDefault(homeDir: string): MetaflowProfileEntry {
  const filePath = path.join(homeDir, 'config_default.json');
  const message = `Metaflow profile file config_default.json cannot be selected: the bot's profile name default means config.json. Rename ${filePath}.`;
  const error = new ConfigError('invalid_profile_name', filePath, message);
  return { name: defaultProfileName, path: filePath, usable: false, reason: message, error };
}
