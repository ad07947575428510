import {
  checkSlackSettings,
  formatConfig,
  isConfigError,
  loadBotConfig,
  readMetaflowProfile,
  type ConfigError,
  type MetaflowProfile,
} from '../config/index.ts';
import { createJsonLogger } from '../logger.ts';
import { openSelectedProfile } from './open-selected-profile.ts';

/** Environment, working folder and output streams of the config commands, passed in so that tests need no real process state. */
export interface ConfigCommandIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * `metaflowbot config check` and `metaflowbot config show`. Returns the exit code: 0, or 2
 * when the configuration has a problem, each written to stderr as `Configuration error: …`.
 */
export async function runConfigCommand(argv: readonly string[], io: ConfigCommandIo = processIo()): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'check' && action !== 'show') {
    const problem = action === undefined ? 'Missing config command' : `Unknown config command ${JSON.stringify(action)}`;
    io.stderr.write(`${problem}: use \`metaflowbot config check\` or \`metaflowbot config show\`.\n`);
    return 2;
  }
  try {
    return action === 'check' ? await checkConfig(rest, io) : await showConfig(rest, io);
  } catch (error) {
    if (!isConfigError(error)) {
      throw error;
    }
    reportProblems([error], io);
    return 2;
  }
}

/**
 * Checks the configuration as `metaflowbot serve` starts with it: the bot's settings, the Slack
 * settings that the mode needs, and the selected Metaflow profile with its data, opened by the
 * same function as at start-up. Reports every problem found, not only the first.
 */
async function checkConfig(argv: readonly string[], io: ConfigCommandIo): Promise<number> {
  const { config, sources, configFile } = await loadBotConfig({ argv, env: io.env, cwd: io.cwd, requireSlack: false });
  const logger = createJsonLogger(sources.logLevel === 'default' ? 'warn' : config.logLevel);
  const problems: ConfigError[] = [];

  const slackProblem = await findProblem(() => checkSlackSettings(config));
  if (slackProblem) {
    problems.push(slackProblem);
  }

  let dataSource = '';
  const profileProblem = await findProblem(async () => {
    const selected = await openSelectedProfile(config, { env: io.env, cwd: io.cwd, logger, allowSample: false });
    dataSource = `New threads read Metaflow profile ${selected.profile.name}: ${selected.reader.description}.`;
  });
  if (profileProblem) {
    problems.push(profileProblem);
  }

  if (problems.length > 0) {
    reportProblems(problems, io);
    return 2;
  }
  io.stdout.write(`The configuration is valid${configFile ? ` (${configFile})` : ''}.\n${dataSource}\n`);
  return 0;
}

/**
 * Prints the bot's settings and the selected Metaflow profile's, each with its source. A profile
 * that cannot be read is left out and reported on stderr, with exit code 2.
 */
async function showConfig(argv: readonly string[], io: ConfigCommandIo): Promise<number> {
  const { config, sources, configFile } = await loadBotConfig({ argv, env: io.env, cwd: io.cwd, requireSlack: false });

  let profile: MetaflowProfile | undefined;
  const profileProblem = await findProblem(async () => {
    profile = await readMetaflowProfile(config.metaflow.home, config.metaflow.profile, io.env);
  });

  io.stdout.write(`${formatConfig(config, sources, { configFile, ...(profile ? { profile } : {}) })}\n`);
  if (profileProblem) {
    reportProblems([profileProblem], io);
    return 2;
  }
  return 0;
}

/** Runs a check and returns the `ConfigError` it throws, or `null`. Any other error propagates. */
async function findProblem(check: () => unknown): Promise<ConfigError | null> {
  try {
    await check();
    return null;
  } catch (error) {
    if (isConfigError(error)) {
      return error;
    }
    throw error;
  }
}

function reportProblems(problems: readonly ConfigError[], io: ConfigCommandIo): void {
  for (const problem of problems) {
    io.stderr.write(`Configuration error: ${problem.message}\n`);
  }
}

function processIo(): ConfigCommandIo {
  return { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
}
