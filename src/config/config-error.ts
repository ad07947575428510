/** Stable codes for everything that can be wrong with the bot's or Metaflow's configuration. */
export type ConfigErrorCode =
  /** A value of the wrong type, outside its range or not in its list of allowed values. */
  | 'invalid_value'
  /** A key in the config file that the bot does not know, often a typo. */
  | 'unknown_setting'
  /** A command-line flag that is unknown, lacks its value or is not a flag at all. */
  | 'invalid_flag'
  /** A setting that the requested mode needs but no source sets. */
  | 'missing_setting'
  /** A file or folder that does not exist or cannot be read. */
  | 'unreadable_file'
  /** A file that exists but is not valid YAML or JSON, or does not contain an object. */
  | 'invalid_file'
  /** A Metaflow profile name that breaks the naming rule or would leave the Metaflow home folder. */
  | 'invalid_profile_name'
  /** A Metaflow profile whose config_<name>.json file does not exist. */
  | 'profile_not_found'
  /** A Metaflow profile whose settings are valid but do not name data the bot can open. */
  | 'unusable_profile';

/**
 * A configuration problem. The message is a sentence that names the field, the bad value
 * (masked for secrets) and what is allowed. `field` is the setting, flag, environment
 * variable or file that the message is about.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly field: string;

  constructor(code: ConfigErrorCode, field: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.code = code;
    this.field = field;
  }
}

/** Tells whether `error` is a `ConfigError`. */
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
