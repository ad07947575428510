import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../src/logger.ts';
import { signSlackRequest } from './request-signature.ts';
import type { SlackStore } from './slack-store.ts';

/** The bot's Events API endpoint and the signing secret that its requests are signed with. */
export interface HttpTarget {
  url: string;
  signingSecret: string;
}

/** Timing and retry settings of HTTP delivery. */
export interface HttpSenderOptions {
  /** Milliseconds to wait for the bot's response before counting the attempt as timed out. */
  timeoutMs: number;
  /** Redeliveries after the first delivery. */
  maxRetries: number;
  /** Milliseconds between a failed attempt and the next one. */
  retryDelayMs: number;
}

/** How a forged request is wrong: signed with another secret, signed 10 minutes ago, or not signed. */
export type ForgedRequestKind = 'bad-signature' | 'stale-timestamp' | 'missing-signature';

/** The bot's response to one request. */
export interface HttpReply {
  status: number;
  body: string;
}

const staleAgeSeconds = 10 * 60;

/**
 * Delivers `event_callback` bodies to the bot's HTTP endpoint, signed as Slack signs
 * them. A non-2xx response, a timeout or a refused connection is retried with
 * `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`; the target must be on loopback.
 */
export class HttpEventSender {
  private readonly closing = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly target: HttpTarget,
    private readonly dependencies: { store: SlackStore; logger: Logger },
    private readonly options: HttpSenderOptions,
  ) {
    assertLoopbackUrl(target.url);
  }

  /** Starts delivering the event in the background; the store tracks its state. */
  deliver(eventId: string, body: Record<string, unknown>): void {
    const run = this.deliverWithRetries(eventId, JSON.stringify(body));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Sends a signed `url_verification` request and returns the bot's response, which should echo the challenge. */
  async sendUrlVerification(challenge: string): Promise<HttpReply> {
    const body = JSON.stringify({ token: 'legacy-verification-token', challenge, type: 'url_verification' });
    return this.post(body, this.signedHeaders(body, Math.floor(Date.now() / 1000), this.target.signingSecret));
  }

  /** Sends `body` with a signature that the bot must reject, and returns its response (Bolt responds 401). */
  async sendForgedRequest(kind: ForgedRequestKind, body: Record<string, unknown>): Promise<HttpReply> {
    const text = JSON.stringify(body);
    const now = Math.floor(Date.now() / 1000);
    if (kind === 'missing-signature') {
      return this.post(text, { 'content-type': 'application/json' });
    }
    if (kind === 'stale-timestamp') {
      return this.post(text, this.signedHeaders(text, now - staleAgeSeconds, this.target.signingSecret));
    }
    return this.post(text, this.signedHeaders(text, now, `not-${this.target.signingSecret}`));
  }

  /** Aborts requests under way and waits until every delivery stopped. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.allSettled([...this.running]);
  }

  private async deliverWithRetries(eventId: string, body: string): Promise<void> {
    const { store, logger } = this.dependencies;
    let retryReason = '';
    for (let retryAttempt = 0; retryAttempt <= this.options.maxRetries; retryAttempt += 1) {
      store.setEventState(eventId, 'in_flight');
      const failure = await this.attempt(eventId, body, retryAttempt, retryReason);
      if (failure === undefined) {
        store.setEventState(eventId, 'acked');
        return;
      }
      if (this.closing.signal.aborted) {
        return;
      }
      logger.info('HTTP event delivery failed; retrying', { eventId, retryAttempt, reason: failure });
      retryReason = failure;
      await delay(this.options.retryDelayMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
    }
    store.setEventState(eventId, 'abandoned');
    logger.warn('HTTP event abandoned: the last retry failed too', { eventId });
  }

  /** Makes one attempt; returns the retry reason for the next attempt, or undefined on a 2xx response. */
  private async attempt(eventId: string, body: string, retryAttempt: number, retryReason: string): Promise<string | undefined> {
    const { store } = this.dependencies;
    const headers = this.signedHeaders(body, Math.floor(Date.now() / 1000), this.target.signingSecret);
    if (retryAttempt > 0) {
      headers['x-slack-retry-num'] = String(retryAttempt);
      headers['x-slack-retry-reason'] = retryReason;
    }
    store.recordAttempt({ eventId, transport: 'http', retryAttempt, retryReason, sentAt: Date.now(), outcome: 'pending' });

    try {
      const reply = await this.post(body, headers, this.options.timeoutMs);
      const succeeded = reply.status >= 200 && reply.status < 300;
      store.updateAttempt(eventId, retryAttempt, { outcome: succeeded ? 'acked' : 'failed', status: reply.status });
      return succeeded ? undefined : 'http_error';
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      store.updateAttempt(eventId, retryAttempt, { outcome: timedOut ? 'timed_out' : 'failed' });
      return timedOut ? 'http_timeout' : 'connection_failed';
    }
  }

  private signedHeaders(body: string, timestampSeconds: number, secret: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestampSeconds),
      'x-slack-signature': signSlackRequest(secret, timestampSeconds, body),
    };
  }

  private async post(body: string, headers: Record<string, string>, timeoutMs?: number): Promise<HttpReply> {
    const signals = [this.closing.signal];
    if (timeoutMs !== undefined) {
      signals.push(AbortSignal.timeout(timeoutMs));
    }
    const response = await fetch(this.target.url, { method: 'POST', headers, body, signal: AbortSignal.any(signals) });
    return { status: response.status, body: await response.text() };
  }
}

/** Throws unless `url` is an http URL on 127.0.0.1, `localhost` or `[::1]`: this server talks only to loopback. */
function assertLoopbackUrl(url: string): void {
  const parsed = new URL(url);
  const loopbackHosts = ['127.0.0.1', 'localhost', '[::1]'];
  if (parsed.protocol !== 'http:' || !loopbackHosts.includes(parsed.hostname)) {
    throw new Error(`HTTP delivery target ${url} is not on loopback; use http://127.0.0.1:<port>/…`);
  }
}
