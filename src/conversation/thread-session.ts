import { createActor, type Actor, type InspectionEvent } from 'xstate';
import { textMessage, type BotMessage } from '../actions/bot-message.ts';
import type { LookupContext, LookupResult } from '../actions/lookup-context.ts';
import { renderReply, type ReplyContext } from '../actions/render-reply.ts';
import { runLookup } from '../actions/run-lookup.ts';
import type { Logger } from '../logger.ts';
import type { LookupEvent, LookupRequest, ReplyRequest, UserEvent } from '../machines/thread-events.ts';
import { threadMachine, type ThreadMachine } from '../machines/thread-machine.ts';
import { persistThread, type PersistedThread, type ThreadSnapshot } from '../machines/thread-snapshot.ts';
import { MetaflowError } from '../metaflow/errors.ts';
import { escapeSlackText, inlineCode } from '../text/slack-escape.ts';

/** Sends a reply into the thread, with the thread's state after the turn that produced it. */
export type DeliverReply = (message: BotMessage, state: PersistedThread) => Promise<void>;

export interface ThreadSessionOptions {
  /** Names the thread in log lines, e.g. `C123/1700000000.000100`. */
  threadId: string;
  lookupContext: LookupContext;
  replyContext: ReplyContext;
  /** A lookup that takes longer is reported as timed out, in milliseconds. */
  lookupTimeoutMs: number;
  logger: Logger;
  deliver: DeliverReply;
  /**
   * Called when a lookup starts, with the thread's state while the lookup is pending. The
   * lookup runs meanwhile, but its answer is delivered only after this resolves, so a host can
   * store the pending question in the thread (the Slack app posts "Looking up …") first.
   */
  announceLookup?: (request: LookupRequest, state: PersistedThread) => Promise<void>;
  /** A state restored from the thread; a lookup pending in it is asked again. */
  restored?: ThreadSnapshot;
  /** Receives XState's inspection events; tests use it to record the transitions taken. */
  inspect?: (event: InspectionEvent) => void;
}

/**
 * Runs one thread: its machine, the lookups the machine requests, and the delivery of every
 * reply. Lookups run outside the machine; a message that arrives while one runs gets the
 * machine's "still looking up" answer.
 */
export class ThreadSession {
  private readonly actor: Actor<ThreadMachine>;
  private readonly options: ThreadSessionOptions;
  private readonly emitted: ReplyRequest[] = [];
  private inFlight: { request: LookupRequest; done: Promise<void> } | null = null;
  private stopped = false;

  constructor(options: ThreadSessionOptions) {
    this.options = options;
    this.actor = createActor(threadMachine, {
      ...(options.restored ? { snapshot: options.restored } : {}),
      ...(options.inspect ? { inspect: options.inspect } : {}),
    });
    this.actor.on('reply', (event) => this.emitted.push(event.reply));
    this.actor.start();
  }

  /** The thread's state as it is stored in Slack. */
  get state(): PersistedThread {
    return persistThread(this.actor.getSnapshot());
  }

  /**
   * Handles a user's message: the machine decides, the replies are delivered, and a lookup it
   * requests starts. Resolves when all of that, including the lookup, is done.
   */
  async receive(event: UserEvent): Promise<void> {
    await this.send(event);
    await this.settled();
  }

  /**
   * Like `receive`, but resolves once the machine's own replies are delivered, while a lookup
   * it started may still run: a message sent meanwhile meets the thread in its lookup state.
   */
  async send(event: UserEvent): Promise<void> {
    this.actor.send(event);
    await this.deliverEmitted();
    void this.startPendingLookup();
  }

  /** Asks again a lookup that was pending when the thread was stored (after a restart). */
  async resume(): Promise<void> {
    await this.startPendingLookup();
  }

  /** Resolves when no lookup is running. */
  async settled(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight.done;
    }
  }

  /** Stops the machine; a lookup still running is left to finish, and its result is dropped. */
  stop(): void {
    this.stopped = true;
    this.actor.stop();
  }

  private async startPendingLookup(): Promise<void> {
    const request = this.actor.getSnapshot().context.pending;
    if (!request || this.inFlight?.request === request) {
      return this.inFlight?.done;
    }
    const done = this.performLookup(request).finally(() => {
      if (this.inFlight?.request === request) {
        this.inFlight = null;
      }
    });
    this.inFlight = { request, done };
    return done;
  }

  private async performLookup(request: LookupRequest): Promise<void> {
    const announced = this.announce(request);
    const outcome = await this.answerWithinTimeout(request);
    await announced;
    if (this.stopped) {
      this.options.logger.debug('lookup result dropped: the thread was stopped', { thread: this.options.threadId, request: request.kind });
      return;
    }
    if (this.actor.getSnapshot().context.pending !== request) {
      this.options.logger.warn('lookup result dropped: the thread moved on', { thread: this.options.threadId, request: request.kind });
      return;
    }
    this.actor.send(outcome.event);
    if (this.actor.getSnapshot().context.pending === request) {
      // The machine did not accept this outcome in its state, so the thread would wait forever.
      this.options.logger.error('lookup outcome not accepted by the thread machine', { thread: this.options.threadId, request: request.kind, event: outcome.event.type });
      this.actor.send({ type: 'lookup.failed', reason: 'error', detail: null });
    }
    if (outcome.reply) {
      await this.deliver(outcome.reply);
    }
    await this.deliverEmitted();
  }

  private async announce(request: LookupRequest): Promise<void> {
    if (!this.options.announceLookup) {
      return;
    }
    try {
      await this.options.announceLookup(request, this.state);
    } catch (error) {
      this.options.logger.error('lookup announcement could not be delivered', { thread: this.options.threadId, request: request.kind, error });
    }
  }

  private async answerWithinTimeout(request: LookupRequest): Promise<{ event: LookupEvent; reply: BotMessage | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.lookupTimeoutMs);
    });

    try {
      const context = this.lookupContextFor(request);
      if ('denied' in context) {
        return { event: { type: 'lookup.answered', runFinished: null }, reply: textMessage(context.denied) };
      }
      const result: LookupResult | 'timeout' = await Promise.race([runLookup(request, context), timeout]);
      if (result === 'timeout') {
        this.options.logger.warn('lookup timed out', { thread: this.options.threadId, request: request.kind, timeoutMs: this.options.lookupTimeoutMs });
        return { event: { type: 'lookup.failed', reason: 'timeout', detail: null }, reply: null };
      }
      return result;
    } catch (error) {
      this.options.logger.error('lookup failed', { thread: this.options.threadId, request: request.kind, error });
      const detail = error instanceof MetaflowError ? error.message : null;
      return { event: { type: 'lookup.failed', reason: 'error', detail }, reply: null };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Builds the lookup context for the thread's profile. Access is checked again for every
   * lookup, because the rules may have changed since the thread chose its profile.
   */
  private lookupContextFor(request: LookupRequest): LookupContext | { denied: string } {
    const base = this.options.lookupContext;
    const profiles = base.profiles;
    if (!profiles) {
      return base;
    }
    const profile = this.actor.getSnapshot().context.profile ?? profiles.defaultProfile;
    const context = { ...base, profile, sourceLabel: profiles.sourceLabel(profile) };
    if (request.kind === 'profiles' || request.kind === 'useProfile') {
      return context;
    }

    const source = profiles.find(profile);
    if (!source?.reader) {
      const problem = source ? source.problem : 'it is not configured any more';
      return { denied: `This thread reads the Metaflow profile ${inlineCode(profile)}, which cannot be used: ${escapeSlackText(problem)} Say \`use profile &lt;name&gt;\` to switch.` };
    }
    const access = base.audience ? profiles.checkAccess(profile, base.audience) : { allowed: true as const };
    if (!access.allowed) {
      this.options.logger.warn('profile access denied', { thread: this.options.threadId, profile, request: request.kind });
      return { denied: escapeSlackText(access.reason) };
    }
    return { ...context, reader: source.reader };
  }

  private async deliverEmitted(): Promise<void> {
    const replies = this.emitted.splice(0);
    for (const reply of replies) {
      await this.deliver(renderReply(reply, this.options.replyContext));
    }
  }

  private async deliver(message: BotMessage): Promise<void> {
    try {
      await this.options.deliver(message, this.state);
    } catch (error) {
      this.options.logger.error('reply could not be delivered', { thread: this.options.threadId, error });
    }
  }
}
