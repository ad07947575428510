import { webApi } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { createBoltLogger } from './bolt-logger.ts';

/** The Slack Web API client the bot uses for every call it makes itself. */
export type SlackWebClient = webApi.WebClient;

/** Time after which a Web API request is abandoned, in milliseconds. */
const requestTimeoutMs = 30_000;

/**
 * Creates the WebClient for the bot token. A 429 is raised at once (`rejectRateLimitedCalls`), so
 * that `callWithRateLimitRetry` applies its bounded policy per call; the client's default would
 * pause every call of the process for the `Retry-After` time. Network errors and HTTP 5xx are
 * retried twice within about three seconds.
 */
export function createSlackWebClient(token: string, apiUrl: string, logger: Logger): SlackWebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    logger: createBoltLogger(logger),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    timeout: requestTimeoutMs,
  });
}

/** Returns the Slack error code of a failed Web API call (`message_not_found`, …), or undefined. */
export function slackErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || error.code !== webApi.ErrorCode.PlatformError) {
    return undefined;
  }
  const data = 'data' in error ? error.data : undefined;
  const code = typeof data === 'object' && data !== null && 'error' in data ? data.error : undefined;
  return typeof code === 'string' ? code : undefined;
}
