import { ConfigError } from './config-error.ts';

/**
 * Allowed Metaflow profile names: letters, digits, `_`, `.` and `-`, 1 to 128 characters,
 * with no `..`. The name ends up in a file name (`config_<name>.json`), so nothing that
 * can separate or climb path segments gets through. The JSON schema's `profileName`
 * uses the same pattern.
 */
export const profileNamePattern = /^(?!.*\.\.)[A-Za-z0-9_.-]{1,128}$/;

/** Name that selects Metaflow's `config.json`, the file Metaflow reads without `METAFLOW_PROFILE`. */
export const defaultProfileName = 'default';

/** Tells whether `name` is a valid Metaflow profile name. */
export function isValidProfileName(name: string): boolean {
  return profileNamePattern.test(name);
}

/**
 * Throws an `invalid_profile_name` `ConfigError` unless `name` is a valid profile name.
 * Call it on every name that comes from a user before the name reaches the file system.
 */
export function validateProfileName(name: string): void {
  if (isValidProfileName(name)) {
    return;
  }
  const displayedName = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  throw new ConfigError(
    'invalid_profile_name',
    'profile',
    `Invalid Metaflow profile name ${displayedName}. A profile name is 1 to 128 letters, digits, _, . or -, without "..".`,
  );
}

/** Returns the name of the file that contains a profile's settings: `config.json` for `default`, else `config_<name>.json`. */
export function profileFileName(name: string): string {
  return name === defaultProfileName ? 'config.json' : `config_${name}.json`;
}
