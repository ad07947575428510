import type { AnyTransitionDefinition, InspectionEvent } from 'xstate';
import type { BotMessage } from '../../src/actions/bot-message.ts';
import { renderPlainText } from '../../src/chat/render-plain-text.ts';
import { findUnescapedSlackText } from './slack-safe.ts';
import type { ProfileDirectory, ThreadAudience } from '../../src/conversation/profile-directory.ts';
import { ThreadSession } from '../../src/conversation/thread-session.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { parseMessage } from '../../src/machines/parse-message.ts';
import type { PersistedThread, ThreadSnapshot } from '../../src/machines/thread-snapshot.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';

/** A time after every fixture run: 2026-12-04 20:00:00 UTC, about 20 minutes after the last one. */
export const fixtureNow = Date.UTC(2026, 11, 4, 20, 0, 0);

/** With this limit the killed SleepyFlow run is "no activity since …" at `fixtureNow`. */
export const fixtureStaleAfterMs = 10 * 60_000;

/** The bot's Slack user id in tests; `<@U0BOT>` in a message is its mention. */
export const testBotUserId = 'U0BOT';

/** One reply as the thread received it. */
export interface DeliveredReply {
  message: BotMessage;
  state: PersistedThread;
  /** The reply as the terminal prints it, Slack's escaping undone. */
  text: string;
}

export interface ThreadHarnessOptions {
  root?: string;
  reader?: MetaflowReader;
  now?: number;
  staleAfterMs?: number;
  lookupTimeoutMs?: number;
  restored?: ThreadSnapshot;
  logger?: Logger;
  /** Profiles the thread can switch between; the default profile's reader is `root` or `reader`. */
  profiles?: ProfileDirectory;
  /** The channel and user the thread talks to, for access rules. */
  audience?: ThreadAudience;
}

/** A real thread session on a real datastore, recording every reply and every transition taken. */
export interface ThreadHarness {
  session: ThreadSession;
  replies: DeliveredReply[];
  transitions: AnyTransitionDefinition[];
  /** Sends a message and waits for every reply it causes, lookups included. */
  say(text: string): Promise<DeliveredReply[]>;
}

export function createThreadHarness(options: ThreadHarnessOptions): ThreadHarness {
  const replies: DeliveredReply[] = [];
  const transitions: AnyTransitionDefinition[] = [];
  const logger = options.logger ?? silentLogger;
  const reader = options.reader ?? new LocalDatastoreReader({ root: requireRoot(options.root), logger });

  const session = new ThreadSession({
    threadId: 'test-thread',
    lookupContext: {
      reader,
      now: () => options.now ?? fixtureNow,
      staleAfterMs: options.staleAfterMs ?? fixtureStaleAfterMs,
      logger,
      sourceLabel: options.profiles?.sourceLabel(options.profiles.defaultProfile) ?? null,
      botVersion: '0.0.0-test',
      profiles: options.profiles ?? null,
      profile: options.profiles?.defaultProfile ?? null,
      audience: options.audience ?? null,
    },
    replyContext: { botName: 'Metaflow Bot', version: '0.0.0-test', lookupTimeoutMs: options.lookupTimeoutMs ?? 30_000 },
    lookupTimeoutMs: options.lookupTimeoutMs ?? 30_000,
    logger,
    deliver: async (message, state) => {
      replies.push({ message, state, text: renderPlainText(message) });
    },
    ...(options.restored ? { restored: options.restored } : {}),
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.microstep') {
        transitions.push(...event._transitions);
      }
    },
  });

  return {
    session,
    replies,
    transitions,
    async say(text: string) {
      const from = replies.length;
      await session.receive(parseMessage(text, { botUserId: testBotUserId }));
      const delivered = replies.slice(from);
      // Every conversation test also checks that the replies are safe to post to Slack.
      const unescaped = delivered.flatMap((reply) => findUnescapedSlackText(reply.message));
      if (unescaped.length > 0) {
        throw new Error(`A reply to ${JSON.stringify(text.slice(0, 80))} has unescaped <, > or &: ${unescaped.map((excerpt) => JSON.stringify(excerpt)).join(', ')}`);
      }
      return delivered;
    },
  };
}

/** Joins the plain text of replies, for assertions on what a user reads. */
export function joinReplies(replies: DeliveredReply[]): string {
  return replies.map((reply) => reply.text).join('\n---\n');
}

function requireRoot(root: string | undefined): string {
  if (!root) {
    throw new Error('createThreadHarness needs a root or a reader');
  }
  return root;
}
