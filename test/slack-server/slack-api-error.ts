/**
 * A Web API failure with Slack's error code, such as `channel_not_found`. The server
 * sends it as HTTP 200 with `{ ok: false, error: code }`, as Slack does.
 */
export class SlackApiError extends Error {
  readonly code: string;
  /** Lines for `response_metadata.messages`, such as `[ERROR] … [json-pointer:/blocks]`. */
  readonly responseMessages: string[];

  constructor(code: string, responseMessages: string[] = []) {
    super(`Slack API error ${code}${responseMessages.length > 0 ? `: ${responseMessages.join('; ')}` : ''}`);
    this.name = 'SlackApiError';
    this.code = code;
    this.responseMessages = responseMessages;
  }
}
