import { setTimeout as delay } from 'node:timers/promises';
import { webApi } from '@slack/bolt';
import type { LogFields, Logger } from '../logger.ts';

/** Bounds on retrying a Web API call that Slack rate-limited with HTTP 429. */
export interface RateLimitPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Most time one call may spend waiting for `Retry-After`, in milliseconds, summed over its retries. */
  maxWaitMs: number;
}

/**
 * Five retries within two minutes. The WebClient's own default (ten retries in about thirty
 * minutes, pausing every other call meanwhile) would hold a thread's replies for half an hour.
 */
export const defaultRateLimitPolicy: RateLimitPolicy = { maxRetries: 5, maxWaitMs: 120_000 };

/** Settings of one call's retries, and the ids that its log lines carry. */
export interface RetryContext {
  policy: RateLimitPolicy;
  logger: Logger;
  /** The Web API method, such as `chat.postMessage`. */
  method: string;
  /** Ids for the log, such as the thread. */
  fields?: LogFields;
  /** Set when the bot stops: a call not yet made fails at once, and a wait for `Retry-After` ends. */
  signal?: AbortSignal;
}

/**
 * Runs a Web API call. When Slack rate-limits it, waits the `Retry-After` seconds and calls
 * again, within the policy. Throws the rate-limit error once the retries or the waiting time
 * are used up, and every other error at once. Needs a WebClient made with
 * `rejectRateLimitedCalls: true`, so that a 429 reaches this function as an error.
 */
export async function callWithRateLimitRetry<T>(call: () => Promise<T>, context: RetryContext): Promise<T> {
  let waitedMs = 0;
  for (let retry = 1; ; retry++) {
    context.signal?.throwIfAborted();
    try {
      return await call();
    } catch (error) {
      const retryAfterSeconds = readRetryAfter(error);
      if (retryAfterSeconds === undefined) {
        throw error;
      }
      const waitMs = retryAfterSeconds * 1000;
      const fields = { ...context.fields, method: context.method, retryAfterSeconds, retry };
      if (retry > context.policy.maxRetries || waitedMs + waitMs > context.policy.maxWaitMs) {
        context.logger.warn('Slack rate limit outlasted the retry policy; the call failed', { ...fields, waitedMs });
        throw error;
      }
      context.logger.info('Slack rate-limited a call; retrying after Retry-After', fields);
      await delay(waitMs, undefined, context.signal ? { signal: context.signal } : {});
      waitedMs += waitMs;
    }
  }
}

/** Returns the `Retry-After` seconds of a WebClient rate-limit error, or undefined for any other error. */
export function readRetryAfter(error: unknown): number | undefined {
  if (!(error instanceof Error) || !('code' in error) || error.code !== webApi.ErrorCode.RateLimitedError) {
    return undefined;
  }
  const retryAfter = 'retryAfter' in error ? error.retryAfter : undefined;
  return typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
}

/** Runs one Web API call with the bot's rate-limit policy; `method` and `fields` name it in the log. */
export type CallSlack = <T>(method: string, call: () => Promise<T>, fields?: LogFields) => Promise<T>;

/** Binds `callWithRateLimitRetry` to one policy, logger and stop signal. */
export function createSlackCaller(policy: RateLimitPolicy, logger: Logger, signal?: AbortSignal): CallSlack {
  return (method, call, fields) => callWithRateLimitRetry(call, { policy, logger, method, ...(fields ? { fields } : {}), ...(signal ? { signal } : {}) });
}
