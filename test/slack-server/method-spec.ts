import type { ApiArgs } from './api-args.ts';
import type { IdSource } from './id-source.ts';
import type { SlackIdentity } from './slack-identity.ts';
import type { SlackMessage, SlackStore } from './slack-store.ts';

/** Which token a method accepts: the bot token (`xoxb-`) or the app-level token (`xapp-`). */
export type TokenKind = 'bot' | 'app';

/** The body fields of a successful response; the server adds `ok: true`. */
export type MethodResult = Record<string, unknown>;

/** One Web API method: the token it takes and its handler, which throws `SlackApiError` on failure. */
export interface MethodSpec {
  token: TokenKind;
  handle(args: ApiArgs): MethodResult | Promise<MethodResult>;
}

/** Web API methods by name, such as `chat.postMessage`. */
export type MethodTable = Record<string, MethodSpec>;

/** What the method handlers share. */
export interface MethodContext {
  store: SlackStore;
  ids: IdSource;
  identity: SlackIdentity;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  baseUrl: string;
  /** Called after the bot posted a message, so that the server can echo it as an event. */
  onBotMessage(message: SlackMessage): void;
  /** Issues a single-use Socket Mode URL (`ws://127.0.0.1:<port>/link/?ticket=…`). */
  openSocketUrl(): string;
}
