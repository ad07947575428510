import { createHmac } from 'node:crypto';

/**
 * Computes Slack's `X-Slack-Signature` header: `v0=` and the hex HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>` keyed with the app's signing secret.
 */
export function signSlackRequest(signingSecret: string, timestampSeconds: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}
