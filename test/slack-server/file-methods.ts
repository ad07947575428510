import { isJsonObject, optionalInteger, optionalJson, optionalString, requireString, type ApiArgs } from './api-args.ts';
import { resolveThreadTs } from './chat-methods.ts';
import type { MethodContext, MethodResult, MethodTable } from './method-spec.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { MessageFile, SlackMessage, UploadedFile } from './slack-store.ts';

/** Path prefix of the upload URLs that `files.getUploadURLExternal` hands out. */
export const uploadPathPrefix = '/upload/v1/';

/**
 * `files.getUploadURLExternal` and `files.completeUploadExternal`: the first and last
 * steps of the WebClient's `filesUploadV2`. The middle step, POSTing the bytes to the
 * upload URL, is `receiveUpload`.
 */
export function fileMethods(context: MethodContext): MethodTable {
  return {
    'files.getUploadURLExternal': { token: 'bot', handle: (args) => startUpload(context, args) },
    'files.completeUploadExternal': { token: 'bot', handle: (args) => completeUploads(context, args) },
  };
}

function startUpload(context: MethodContext, args: ApiArgs): MethodResult {
  const filename = requireString(args, 'filename', 'invalid_arguments');
  const length = optionalInteger(args, 'length', -1);
  if (length < 0) {
    throw new SlackApiError('invalid_arguments', ['[ERROR] length must be the file size in bytes']);
  }

  const id = context.ids.nextFileId();
  context.store.saveFile({ id, filename, length, completed: false });
  return { upload_url: `${context.baseUrl}${uploadPathPrefix}${id}`, file_id: id };
}

/**
 * Stores the bytes POSTed to an upload URL. Returns the HTTP status and body of the
 * response: 200 `OK - <byte count>` as Slack's upload host does, or 404 for an unknown URL.
 */
export function receiveUpload(context: MethodContext, fileId: string, bytes: Buffer): { status: number; body: string } {
  const file = context.store.findFile(fileId);
  if (!file) {
    return { status: 404, body: `no upload was started for file ${fileId}` };
  }
  context.store.saveFile({ ...file, bytes });
  return { status: 200, body: `OK - ${bytes.length}` };
}

/** Shares the uploaded files: with `channel_id` they appear in one new message, in the thread `thread_ts` if given. */
function completeUploads(context: MethodContext, args: ApiArgs): MethodResult {
  const requests = readFileRequests(args);
  const channel = optionalString(args, 'channel_id');
  const threadTs = channel === undefined ? undefined : resolveThreadTs(context, channel, optionalString(args, 'thread_ts'));
  const initialComment = optionalString(args, 'initial_comment');

  const files = requests.map(({ id, title }) => {
    const file = context.store.findFile(id);
    if (!file || file.bytes === undefined) {
      throw new SlackApiError('file_not_found', [`[ERROR] file ${id} was not uploaded to its upload URL`]);
    }
    return { ...file, title: title ?? file.filename };
  });

  for (const file of files) {
    context.store.saveFile({ ...file, channel, threadTs, initialComment, completed: true });
  }
  if (channel !== undefined) {
    postFileMessage(context, { channel, threadTs, initialComment, files });
  }
  return { files: files.map((file) => ({ ...describeFile(file), user: context.identity.botUserId })) };
}

function readFileRequests(args: ApiArgs): { id: string; title?: string }[] {
  const files = optionalJson(args, 'files', 'invalid_arguments');
  if (!Array.isArray(files) || files.length === 0) {
    throw new SlackApiError('invalid_arguments', ['[ERROR] files must be a non-empty array of {id, title}']);
  }
  return files.map((entry: unknown) => {
    if (!isJsonObject(entry) || typeof entry['id'] !== 'string') {
      throw new SlackApiError('invalid_arguments', ['[ERROR] every entry of files needs a string id']);
    }
    const title = typeof entry['title'] === 'string' ? entry['title'] : undefined;
    return { id: entry['id'], title };
  });
}

// NOTE: Slack shares the files some seconds after `files.completeUploadExternal`
// returns; this server posts the message before it responds, so tests need not wait.
function postFileMessage(
  context: MethodContext,
  share: { channel: string; threadTs?: string; initialComment?: string; files: UploadedFile[] },
): void {
  const { identity } = context;
  const message: SlackMessage = {
    type: 'message',
    channel: share.channel,
    ts: context.ids.nextTs(),
    text: share.initialComment ?? '',
    user: identity.botUserId,
    bot_id: identity.botId,
    app_id: identity.appId,
    team: identity.teamId,
    upload: true,
    files: share.files.map(describeFile),
    ...(share.threadTs !== undefined && { thread_ts: share.threadTs }),
  };
  context.store.addMessage(message);
  context.onBotMessage(message);
}

function describeFile(file: UploadedFile): MessageFile {
  return { id: file.id, name: file.filename, title: file.title ?? file.filename, size: file.bytes?.length ?? 0 };
}
