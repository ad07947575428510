import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { BotFile, BotMessage } from '../actions/bot-message.ts';
import type { LookupContext } from '../actions/lookup-context.ts';
import type { ReplyContext } from '../actions/render-reply.ts';
import { ThreadSession } from '../conversation/thread-session.ts';
import type { Logger } from '../logger.ts';
import { parseMessage } from '../machines/parse-message.ts';
import type { PersistedThread } from '../machines/thread-snapshot.ts';
import { toSlackMessagePayload } from '../slack/message-payload.ts';
import { renderPlainText } from './render-plain-text.ts';

export interface TerminalChatOptions {
  lookupContext: LookupContext;
  replyContext: ReplyContext;
  lookupTimeoutMs: number;
  logger: Logger;
  /** Print each reply as the Slack message payload it would post, one JSON object a line. */
  json: boolean;
  /** Folder that files attached to replies (whole logs, exports) are written to. */
  outputDir: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where the banner and hints go, so that stdout carries only replies. */
  notices: NodeJS.WritableStream;
  /** Show a prompt and the banner: true when stdin is a terminal. */
  interactive: boolean;
}

/** Thread id of the chat's one thread, as it appears in the log and in `--json` output. */
const chatThreadId = 'terminal';

/**
 * Holds one thread with the bot in a terminal. Interactive, it shows a prompt; otherwise it
 * reads one message a line and prints each reply, for scripts. Resolves when input ends.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const session = new ThreadSession({
    threadId: chatThreadId,
    lookupContext: options.lookupContext,
    replyContext: options.replyContext,
    lookupTimeoutMs: options.lookupTimeoutMs,
    logger: options.logger,
    deliver: (message, state) => printReply(options, message, state),
  });

  if (options.interactive && !options.json) {
    options.notices.write(
      `${options.replyContext.botName} in the terminal, reading ${options.lookupContext.reader.description}.\n` +
        'Type `help` to start; Ctrl-D quits.\n',
    );
  }

  const lines = readline.createInterface({ input: options.input, terminal: false });
  const prompt = (): void => {
    if (options.interactive && !options.json) {
      options.notices.write('you> ');
    }
  };

  prompt();
  for await (const line of lines) {
    await session.receive(parseMessage(line));
    await session.settled();
    prompt();
  }
  session.stop();
}

async function printReply(options: TerminalChatOptions, message: BotMessage, state: PersistedThread): Promise<void> {
  const filePath = message.file ? await writeAttachedFile(options.outputDir, message.file) : null;

  if (options.json) {
    const payload = { thread_ts: chatThreadId, ...toSlackMessagePayload(message, state), file: describeFile(message.file, filePath) };
    options.output.write(`${JSON.stringify(payload)}\n`);
    return;
  }

  const label = options.interactive ? 'bot> ' : '';
  options.output.write(`${label}${renderPlainText(message)}\n`);
  if (filePath) {
    options.output.write(`  File written: ${filePath}\n`);
  }
  options.output.write('\n');
}

async function writeAttachedFile(outputDir: string, file: BotFile): Promise<string> {
  await mkdir(outputDir, { recursive: true });
  const safeName = file.filename.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_');
  const extension = path.extname(safeName);
  const stem = safeName.slice(0, safeName.length - extension.length);
  // Two exports in the same second get the same name; a number keeps the first one.
  for (let copy = 0; ; copy++) {
    const target = path.resolve(outputDir, copy === 0 ? safeName : `${stem}-${copy}${extension}`);
    try {
      await writeFile(target, file.content, { encoding: 'utf8', flag: 'wx' });
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
  }
}

function describeFile(file: BotFile | undefined, filePath: string | null): object | null {
  if (!file || !filePath) {
    return null;
  }
  return { filename: file.filename, title: file.title, filetype: file.filetype, path: filePath };
}
