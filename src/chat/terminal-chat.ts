import { writeFile } from 'node:fs/promises';
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
import { createOutputDirectory, describeWriteError, findOutputDirectoryProblem } from './output-directory.ts';
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

/** Numbered copies (`name-1.csv` …) tried before giving up on an attached file's name. */
const maxNumberedCopies = 1_000;

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

/** Where an attached file went: its path, or a sentence with the reason it was not written. */
type SavedFile = { path: string; failure: null } | { path: null; failure: string };

async function printReply(options: TerminalChatOptions, message: BotMessage, state: PersistedThread): Promise<void> {
  const saved = message.file ? await saveAttachedFile(options, message.file) : null;

  if (options.json) {
    const failure = saved?.failure ? { file_error: saved.failure } : {};
    const payload = { thread_ts: chatThreadId, ...toSlackMessagePayload(message, state), file: describeFile(message.file, saved?.path ?? null), ...failure };
    options.output.write(`${JSON.stringify(payload)}\n`);
    return;
  }

  const label = options.interactive ? 'bot> ' : '';
  options.output.write(`${label}${renderPlainText(message)}\n`);
  if (saved?.path) {
    options.output.write(`  File written: ${saved.path}\n`);
  }
  if (saved?.failure) {
    options.output.write(`  ${saved.failure}\n`);
  }
  options.output.write('\n');
}

/**
 * Writes `file` into the output directory. A failure is logged and turned into a sentence for
 * the user, so the reply itself is still printed and the chat goes on.
 */
async function saveAttachedFile(options: TerminalChatOptions, file: BotFile): Promise<SavedFile> {
  try {
    await createOutputDirectory(options.outputDir);
    return { path: await writeAttachedFile(options.outputDir, file), failure: null };
  } catch (error) {
    options.logger.warn('attached file could not be written', { thread: chatThreadId, filename: file.filename, outputDir: options.outputDir, error });
    const reason = (await findOutputDirectoryProblem(options.outputDir)) ?? describeWriteError(error);
    return { path: null, failure: `Writing ${file.filename} to ${options.outputDir} failed because ${reason}, so start the chat again with another --output-dir.` };
  }
}

async function writeAttachedFile(outputDir: string, file: BotFile): Promise<string> {
  const safeName = file.filename.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_');
  const extension = path.extname(safeName);
  const stem = safeName.slice(0, safeName.length - extension.length);
  // Two exports in the same second get the same name; a number keeps the first one.
  for (let copy = 0; copy <= maxNumberedCopies; copy++) {
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
  throw new Error(`${safeName} and its ${maxNumberedCopies} numbered copies already exist in ${outputDir}`);
}

function describeFile(file: BotFile | undefined, filePath: string | null): object | null {
  if (!file || !filePath) {
    return null;
  }
  return { filename: file.filename, title: file.title, filetype: file.filetype, path: filePath };
}
