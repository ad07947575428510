import path from 'node:path';
import { runTerminalChat } from '../chat/terminal-chat.ts';
import { lookupTimeoutMs, setUpBot } from './bot-setup.ts';
import { splitFlags } from './split-flags.ts';

/** `metaflowbot chat`: one thread in the terminal, on the configured data or the sample. */
export async function runChatCommand(argv: readonly string[], notice: string | null = null): Promise<number> {
  const { own, rest, positionals } = splitFlags(argv, ['json'], ['output-dir']);
  if (positionals.length > 0) {
    process.stderr.write(`chat takes no arguments, but got "${positionals.join(' ')}".\n`);
    return 2;
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
    outputDir: path.resolve(typeof own['output-dir'] === 'string' ? own['output-dir'] : 'out'),
    input: process.stdin,
    output: process.stdout,
    notices: process.stderr,
    interactive,
  });
  return 0;
}
