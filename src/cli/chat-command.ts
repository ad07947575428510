import path from 'node:path';
import { findOutputDirectoryProblem } from '../chat/output-directory.ts';
import { runTerminalChat } from '../chat/terminal-chat.ts';
import { ConfigError } from '../config/index.ts';
import { lookupTimeoutMs, setUpBot } from './bot-setup.ts';
import { splitFlags } from './split-flags.ts';

/** `metaflowbot chat`: one thread in the terminal, on the configured data or the sample. */
export async function runChatCommand(argv: readonly string[], notice: string | null = null): Promise<number> {
  const { own, rest, positionals } = splitFlags(argv, ['json'], ['output-dir']);
  if (positionals.length > 0) {
    process.stderr.write(`chat takes no arguments, but got "${positionals.join(' ')}".\n`);
    return 2;
  }
  const outputDir = path.resolve(typeof own['output-dir'] === 'string' ? own['output-dir'] : 'out');
  if (typeof own['output-dir'] === 'string') {
    await checkOutputDirOption(own['output-dir'], outputDir);
  }

  const setup = await setUpBot({ argv: rest, env: process.env, cwd: process.cwd(), requireSlack: false, allowSample: true, quietByDefault: true });
  const json = own['json'] === true;
  const interactive = Boolean(process.stdin.isTTY) && !json;

  for (const line of [notice, setup.notice]) {
    if (line && !json) {
      process.stderr.write(`${line}\n`);
    }
  }
  await runTerminalChat({
    lookupContext: setup.lookupContext,
    replyContext: setup.replyContext,
    lookupTimeoutMs,
    logger: setup.logger,
    json,
    outputDir,
    input: process.stdin,
    output: process.stdout,
    notices: process.stderr,
    interactive,
  });
  return 0;
}

/**
 * Rejects an `--output-dir` that can never hold files, before the chat starts. The default
 * `./out` is left to the first attached file, so a chat that writes none also starts where
 * the working directory is read-only.
 *
 * @throws ConfigError `invalid_value` with the value and the reason.
 */
async function checkOutputDirOption(value: string, outputDir: string): Promise<void> {
  const problem = await findOutputDirectoryProblem(outputDir);
  if (problem !== null) {
    throw new ConfigError('invalid_value', '--output-dir', `Invalid --output-dir ${value}: ${problem}. Name a directory the chat can write to, or leave out the option to use ./out.`);
  }
}
