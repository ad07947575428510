import { parseArgs } from 'node:util';
import { botSettings, configFileFlag } from './bot-settings.ts';
import { ConfigError } from './config-error.ts';
import { looksLikeSlackToken, maskSecret } from './mask-secret.ts';

/** Values given on the command line, as strings. */
export interface ConfigFlagValues {
  /** The `--config` file, as written. */
  configFile: string | undefined;
  /** Setting key to raw value, for each setting flag present; the last one wins when a flag repeats. */
  settings: Map<string, string>;
}

const parseOptions = Object.fromEntries([
  [configFileFlag, { type: 'string' as const }],
  ...botSettings.map((setting) => [setting.flag, { type: 'string' as const }]),
]);

/**
 * Parses configuration flags (`--name value` or `--name=value`). Throws an `invalid_flag`
 * `ConfigError` for an unknown flag, a flag without a value and any other argument, so
 * that the CLI must pass only the flags that follow its command.
 */
export function parseConfigFlags(argv: readonly string[]): ConfigFlagValues {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options: parseOptions, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw describeParseError(error);
  }

  const settings = new Map<string, string>();
  for (const setting of botSettings) {
    const value = values[setting.flag];
    if (typeof value === 'string') {
      settings.set(setting.key, value);
    }
  }
  const configFile = values[configFileFlag];
  return { configFile: typeof configFile === 'string' ? configFile : undefined, settings };
}

function describeParseError(error: unknown): ConfigError {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const detail = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  const flagName = /'(-[^' ]+)/.exec(detail)?.[1] ?? 'arguments';

  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new ConfigError('invalid_flag', flagName, `Unknown option ${flagName}. Run with --help to list the options.`, { cause: error });
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const message = `Option ${flagName} needs a value, as in ${flagName} VALUE or ${flagName}=VALUE.`;
    return new ConfigError('invalid_flag', flagName, message, { cause: error });
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const argument = /'([^']*)'/.exec(detail)?.[1] ?? '';
    const displayedArgument = looksLikeSlackToken(argument) ? maskSecret(argument) : JSON.stringify(argument);
    const message = `Unexpected argument ${displayedArgument}: settings are given as --name VALUE.`;
    return new ConfigError('invalid_flag', 'arguments', message, { cause: error });
  }
  return new ConfigError('invalid_flag', 'arguments', `Invalid command-line arguments: ${detail}`, { cause: error });
}
