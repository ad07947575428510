import type { BotMessage } from '../actions/bot-message.ts';
import type { LookupContext } from '../actions/lookup-context.ts';
import type { ReplyContext } from '../actions/render-reply.ts';
import { ThreadSession } from '../conversation/thread-session.ts';
import type { Logger } from '../logger.ts';
import { parseMessage } from '../machines/parse-message.ts';
import { restoreThread, type PersistedThread, type ThreadSnapshot } from '../machines/thread-snapshot.ts';
import type { BotIdentity } from './bot-identity.ts';
import { threadKey, type IncomingMessage } from './incoming-message.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { CallSlack } from './rate-limit-retry.ts';
import { lookupInterruptedMessage, lookupStartedMessage, lookupStartedPrefix, storedStateNotice, threadUnreadableMessage } from './slack-notices.ts';
import { loadStoredThread, type StoredOutcome, type ThreadRef } from './stored-thread.ts';
import { ThreadCache } from './thread-cache.ts';
import { ThreadOutbox } from './thread-outbox.ts';
import type { SlackWebClient } from './web-client.ts';

/** Dependencies and limits of `SlackThreads`. */
export interface SlackThreadsOptions {
  client: SlackWebClient;
  callSlack: CallSlack;
  identity: BotIdentity;
  lookupContext: LookupContext;
  replyContext: ReplyContext;
  /** A lookup that takes longer is reported as timed out, in milliseconds. */
  lookupTimeoutMs: number;
  logger: Logger;
  /** Most threads kept in memory. */
  maxCached: number;
  /** A thread unused for this long is dropped from memory, in milliseconds. */
  idleMs: number;
  /** Current time in epoch milliseconds; a parameter so that tests can move it. */
  now?: () => number;
}

/** One thread in memory. Its machine runs only while the thread has work; in between, `persisted` contains its state. */
interface ThreadEntry {
  key: string;
  thread: ThreadRef;
  outbox: ThreadOutbox;
  /** Audience of the thread, for the access rules: its channel, or the user of a direct message. */
  audience: { channelId: string; userId: string; isDirectMessage: boolean };
  /** The state while no session runs; `null` for a thread that starts afresh. */
  persisted: PersistedThread | null;
  session: ThreadSession | null;
  /** Lookups the session may still run: `settled()` calls not yet resolved. */
  unsettled: number;
  /** A note to post before anything else, when the stored state was not used. */
  notice: BotMessage | null;
  /** The restored state has a lookup pending, which is asked again before the next message. */
  resumePending: boolean;
  /** The "Looking up …" message that carried the restored pending state; it is edited to say the lookup was interrupted. */
  interruptedTs: string | null;
}

/** Maximum interval between two sweeps of idle threads, in milliseconds. */
const maxSweepIntervalMs = 60_000;

/**
 * Runs the bot's Slack threads. Messages of one thread are handled one at a time, in order, while
 * threads run in parallel. Threads live in a cache bounded by count and idle time. A thread that is
 * not in memory is restored from its newest snapshot in Slack the first time someone writes in it.
 */
export class SlackThreads {
  private readonly threads: ThreadCache<ThreadEntry>;
  /** Threads known to have no message of the bot, so that their replies are ignored without asking Slack again. */
  private readonly strangers: ThreadCache<true>;
  private readonly queue: KeyedQueue;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(private readonly options: SlackThreadsOptions) {
    const now = options.now ?? Date.now;
    this.queue = new KeyedQueue((key) => this.releaseIfIdle(key));
    this.threads = new ThreadCache({ maxEntries: options.maxCached, idleMs: options.idleMs, now, isBusy: (entry) => this.isBusy(entry) });
    this.strangers = new ThreadCache({ maxEntries: options.maxCached, idleMs: options.idleMs, now, isBusy: () => false });
    this.sweepTimer = setInterval(() => this.sweep(), Math.min(options.idleMs, maxSweepIntervalMs));
    this.sweepTimer.unref();
  }

  /** Number of threads in memory. */
  get cachedCount(): number {
    return this.threads.size;
  }

  /**
   * Queues a message behind the earlier ones of its thread. Resolves once the thread has handled
   * it and posted the replies that need no lookup; a lookup it started may still run.
   */
  handle(message: IncomingMessage): Promise<void> {
    const key = threadKey(message);
    return this.queue.run(key, () => this.process(key, message)).catch((error: unknown) => {
      this.options.logger.error('message could not be handled', { thread: key, eventId: message.eventId, error });
    });
  }

  /**
   * Waits up to `timeoutMs` for queued messages, running lookups and their replies, then stops
   * every machine. Call it once no more events arrive.
   */
  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.sweepTimer);
    const idle = (async () => {
      await this.queue.drain();
      await Promise.all(this.threads.values().map((entry) => entry.session?.settled()));
      await Promise.all(this.threads.values().map((entry) => entry.outbox.flushed()));
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([idle, timeout])) === 'timeout') {
      this.options.logger.warn('threads were still busy when the bot stopped; a pending lookup is asked again after the restart', { timeoutMs });
    }
    clearTimeout(timer);
    for (const entry of this.threads.values()) {
      entry.session?.stop();
    }
  }

  private async process(key: string, message: IncomingMessage): Promise<void> {
    const entry = this.threads.get(key) ?? (await this.openThread(key, message));
    if (!entry) {
      return;
    }
    entry.audience = { channelId: message.channel, userId: message.user, isDirectMessage: message.isDirectMessage };
    const session = this.startSession(entry);
    if (entry.notice) {
      await this.deliverOrLog(entry, entry.notice, session.state);
      entry.notice = null;
    }
    if (entry.resumePending) {
      entry.resumePending = false;
      this.options.logger.info('asking again a lookup that was pending when the thread was stored', { thread: key });
      await session.resume();
    }

    await session.send(parseMessage(message.text, { botUserId: this.options.identity.userId }));
    this.watchSettled(entry, session);
  }

  /** Creates the thread's entry: afresh for a new thread, else from its replies in Slack. Returns null when the bot does not reply in it. */
  private async openThread(key: string, message: IncomingMessage): Promise<ThreadEntry | null> {
    const thread: ThreadRef = { channel: message.channel, threadTs: message.threadTs };
    if (message.startsThread) {
      return this.addEntry(key, thread, message, 0);
    }
    if (message.needsKnownThread && this.strangers.get(key)) {
      return null;
    }

    const { client, callSlack, identity, logger } = this.options;
    let stored;
    try {
      stored = await loadStoredThread({ client, callSlack, identity, logger, thread, threadId: key });
    } catch (error) {
      logger.error('thread could not be read from Slack', { thread: key, eventId: message.eventId, error });
      if (!message.needsKnownThread) {
        await this.newOutbox(key, thread, 0).postWithoutState(threadUnreadableMessage()).catch((postError: unknown) => {
          logger.error('reply could not be delivered', { thread: key, error: postError });
        });
      }
      return null;
    }

    if (message.needsKnownThread && !stored.botIsPresent) {
      this.strangers.set(key, true);
      logger.debug('reply in a thread without the bot ignored', { thread: key });
      return null;
    }
    this.strangers.delete(key);
    const entry = this.addEntry(key, thread, message, stored.maxRevision);
    this.applyStoredOutcome(entry, stored.outcome);
    return entry;
  }

  private applyStoredOutcome(entry: ThreadEntry, outcome: StoredOutcome): void {
    const { logger } = this.options;
    switch (outcome.kind) {
      case 'none':
        return;
      case 'restored':
        entry.persisted = outcome.persisted;
        entry.resumePending = outcome.persisted.context.pending !== null;
        entry.interruptedTs = entry.resumePending && outcome.text.startsWith(lookupStartedPrefix) ? outcome.ts : null;
        logger.info('thread restored from Slack', { thread: entry.key, state: outcome.persisted.state, revision: outcome.persisted.revision ?? 0, ts: outcome.ts });
        return;
      case 'rejected':
        entry.notice = storedStateNotice(outcome.problem);
        logger.warn('thread state in Slack was not used; the thread starts over', { thread: entry.key, problem: outcome.problem, detail: outcome.detail });
        return;
      default:
        return outcome satisfies never;
    }
  }

  private addEntry(key: string, thread: ThreadRef, message: IncomingMessage, lastRevision: number): ThreadEntry {
    const entry: ThreadEntry = {
      key,
      thread,
      audience: { channelId: message.channel, userId: message.user, isDirectMessage: message.isDirectMessage },
      outbox: this.newOutbox(key, thread, lastRevision),
      persisted: null,
      session: null,
      unsettled: 0,
      notice: null,
      resumePending: false,
      interruptedTs: null,
    };
    this.threads.set(key, entry);
    return entry;
  }

  private newOutbox(key: string, thread: ThreadRef, lastRevision: number): ThreadOutbox {
    const { client, callSlack, logger } = this.options;
    return new ThreadOutbox({ client, callSlack, logger, thread, threadId: key, lastRevision });
  }

  /** Returns the thread's running session, or starts one from its state in memory. */
  private startSession(entry: ThreadEntry): ThreadSession {
    if (entry.session) {
      return entry.session;
    }
    const restored = entry.persisted ? this.restoreOwnState(entry.key, entry.persisted) : undefined;
    let afterRestart = entry.resumePending;
    entry.session = new ThreadSession({
      threadId: entry.key,
      lookupContext: { ...this.options.lookupContext, audience: entry.audience },
      replyContext: this.options.replyContext,
      lookupTimeoutMs: this.options.lookupTimeoutMs,
      logger: this.options.logger,
      deliver: (message, state) => entry.outbox.deliver(message, state),
      announceLookup: (request, state) => {
        if (afterRestart && entry.interruptedTs !== null) {
          void entry.outbox.rewrite(entry.interruptedTs, lookupInterruptedMessage(request));
          entry.interruptedTs = null;
        }
        const message = lookupStartedMessage(request, afterRestart);
        afterRestart = false;
        return entry.outbox.announceLookup(message, state);
      },
      ...(restored ? { restored } : {}),
    });
    return entry.session;
  }

  /** Turns the state kept in memory back into a machine snapshot; it was validated before, so a failure is a bug. */
  private restoreOwnState(key: string, persisted: PersistedThread): ThreadSnapshot | undefined {
    const restored = restoreThread(persisted);
    if (restored.ok) {
      return restored.snapshot;
    }
    this.options.logger.error('thread state kept in memory did not restore; the thread starts over', { thread: key, problem: restored.message });
    return undefined;
  }

  /** Keeps the session running until its lookups end, then lets the thread drop back to its persisted state. */
  private watchSettled(entry: ThreadEntry, session: ThreadSession): void {
    entry.unsettled += 1;
    void session.settled().finally(() => {
      entry.unsettled -= 1;
      this.releaseIfIdle(entry.key);
    });
  }

  /** Stops the machine of a thread that has nothing queued or running, keeping only its persisted state. */
  private releaseIfIdle(key: string): void {
    const entry = this.threads.peek(key);
    if (!entry?.session || entry.unsettled > 0 || this.queue.isBusy(key)) {
      return;
    }
    entry.persisted = entry.session.state;
    entry.session.stop();
    entry.session = null;
  }

  private isBusy(entry: ThreadEntry): boolean {
    return entry.session !== null || this.queue.isBusy(entry.key);
  }

  private async deliverOrLog(entry: ThreadEntry, message: BotMessage, state: PersistedThread): Promise<void> {
    try {
      await entry.outbox.deliver(message, state);
    } catch (error) {
      this.options.logger.error('reply could not be delivered', { thread: entry.key, error });
    }
  }

  private sweep(): void {
    const dropped = this.threads.sweep();
    this.strangers.sweep();
    if (dropped > 0) {
      this.options.logger.debug('idle threads dropped from memory', { dropped, kept: this.threads.size });
    }
  }
}
