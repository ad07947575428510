import type { BotFile, BotMessage } from '../actions/bot-message.ts';
import type { Logger } from '../logger.ts';
import type { PersistedThread } from '../machines/thread-snapshot.ts';
import { toSlackMessagePayload, type SlackMessagePayload } from './message-payload.ts';
import type { CallSlack } from './rate-limit-retry.ts';
import type { ThreadRef } from './stored-thread.ts';
import { slackErrorCode, type SlackWebClient } from './web-client.ts';

/** Dependencies of a `ThreadOutbox`, and the thread it writes to. */
export interface ThreadOutboxOptions {
  client: SlackWebClient;
  callSlack: CallSlack;
  thread: ThreadRef;
  /** Names the thread in log lines. */
  threadId: string;
  logger: Logger;
  /** Highest revision already stored in the thread; the next message gets one more. */
  lastRevision: number;
}

/** Errors of `chat.update` after which the answer is posted as a new message instead. */
const replaceFailures = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** Errors that mean Slack refused the metadata; the message is then posted without it. */
const metadataFailures = new Set(['invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large']);

/** Role of a queued message: a reply, or the "Looking up …" message that the answer replaces. */
type MessageRole = 'reply' | 'lookupStarted';

/**
 * Writes one thread's messages to Slack, strictly in the order they were queued. Each message
 * carries the thread's state with the next revision. A "Looking up …" message is replaced in
 * place by the next reply whose state has no lookup pending, which is that lookup's answer. A
 * reply's file is uploaded into the thread after its message.
 */
export class ThreadOutbox {
  private revision: number;
  private lookupStartedTs: string | null = null;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly options: ThreadOutboxOptions) {
    this.revision = options.lastRevision;
  }

  /** Highest revision handed out so far. */
  get lastRevision(): number {
    return this.revision;
  }

  /** Queues a reply; resolves once it is in Slack, rejects when Slack refused it. */
  deliver(message: BotMessage, state: PersistedThread): Promise<void> {
    return this.enqueue(message, state, 'reply');
  }

  /** Queues the message that announces a started lookup; it carries the pending state until the answer replaces it. */
  announceLookup(message: BotMessage, state: PersistedThread): Promise<void> {
    return this.enqueue(message, state, 'lookupStarted');
  }

  /** Queues a message that carries no state, for replies given while the thread's state is unknown. */
  postWithoutState(message: BotMessage): Promise<void> {
    const run = this.tail.then(async () => {
      await this.post({ text: message.text, blocks: message.blocks });
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Queues an edit of an earlier message that keeps its thread state, such as the "Looking up …"
   * message of a lookup that a restart interrupted. A failure is logged, not raised: the edit
   * only tidies the thread.
   */
  rewrite(ts: string, message: BotMessage): Promise<void> {
    const { client, callSlack, thread, threadId, logger } = this.options;
    const run = this.tail.then(async () => {
      try {
        await callSlack('chat.update', () => client.apiCall('chat.update', { channel: thread.channel, ts, text: message.text, blocks: message.blocks }), { thread: threadId });
      } catch (error) {
        logger.warn('an earlier message could not be edited', { thread: threadId, ts, error });
      }
    });
    this.tail = run;
    return run;
  }

  /** Resolves once every queued message has been written or has failed. */
  async flushed(): Promise<void> {
    await this.tail;
  }

  private enqueue(message: BotMessage, state: PersistedThread, role: MessageRole): Promise<void> {
    this.revision += 1;
    const payload = toSlackMessagePayload(message, { ...state, revision: this.revision });
    const answersLookup = role === 'reply' && state.context.pending === null;
    const run = this.tail.then(() => this.write(payload, message.file, role, answersLookup));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async write(payload: SlackMessagePayload, file: BotFile | undefined, role: MessageRole, answersLookup: boolean): Promise<void> {
    const replaced = answersLookup ? await this.replaceLookupStarted(payload) : false;
    if (!replaced) {
      const ts = await this.post(payload);
      if (role === 'lookupStarted') {
        this.lookupStartedTs = ts;
      }
    }
    if (file) {
      await this.upload(file);
    }
  }

  /** Puts the answer in place of the "Looking up …" message; returns false when there is none or it is gone. */
  private async replaceLookupStarted(payload: SlackMessagePayload): Promise<boolean> {
    const ts = this.lookupStartedTs;
    this.lookupStartedTs = null;
    if (ts === null) {
      return false;
    }
    try {
      await this.callWithMetadataFallback('chat.update', payload, (content) => ({ ...content, channel: this.options.thread.channel, ts }));
      return true;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined || !replaceFailures.has(code)) {
        throw error;
      }
      this.options.logger.warn('the "Looking up" message could not be replaced; the answer is posted as a new message', { thread: this.options.threadId, ts, error: code });
      return false;
    }
  }

  /** Posts a message into the thread and returns its `ts`. */
  private async post(content: Partial<SlackMessagePayload> & Pick<SlackMessagePayload, 'text' | 'blocks'>): Promise<string> {
    const { channel, threadTs } = this.options.thread;
    const result = await this.callWithMetadataFallback('chat.postMessage', content, (fields) => ({
      ...fields,
      channel,
      thread_ts: threadTs,
      unfurl_links: false,
      unfurl_media: false,
    }));
    return 'ts' in result && typeof result.ts === 'string' ? result.ts : '';
  }

  /**
   * Calls `chat.postMessage` or `chat.update` through `apiCall`, because the SDK's metadata type
   * allows only two levels of nesting and the snapshot has three. When Slack refuses the
   * metadata, the message goes out without it, and an error line records that the state was not stored.
   */
  private async callWithMetadataFallback(
    method: 'chat.postMessage' | 'chat.update',
    content: Partial<SlackMessagePayload> & Pick<SlackMessagePayload, 'text' | 'blocks'>,
    addressed: (content: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<object> {
    const { client, callSlack, threadId, logger } = this.options;
    const send = (fields: Record<string, unknown>) => callSlack(method, () => client.apiCall(method, addressed(fields)), { thread: threadId });
    try {
      return await send({ ...content });
    } catch (error) {
      const code = slackErrorCode(error);
      if (content.metadata === undefined || code === undefined || !metadataFailures.has(code)) {
        throw error;
      }
      logger.error('Slack refused the thread state as message metadata; the reply is posted without it', { thread: threadId, method, error: code });
      return await send({ text: content.text, blocks: content.blocks });
    }
  }

  private async upload(file: BotFile): Promise<void> {
    const { client, callSlack, thread, threadId } = this.options;
    // Only the upload's outcome is used: Slack shares the file into the thread some time after
    // the call returns, so the response does not yet say where the file appears.
    await callSlack(
      'files.uploadV2',
      () =>
        client.filesUploadV2({
          channel_id: thread.channel,
          thread_ts: thread.threadTs,
          content: file.content,
          filename: file.filename,
          title: file.title,
        }),
      { thread: threadId, filename: file.filename },
    );
  }
}
