import type { SlackIdentity } from './slack-identity.ts';
import type { SlackMessage } from './slack-store.ts';

/** The `channel_type` of a `message` event. */
export type ChannelType = 'channel' | 'group' | 'im' | 'mpim';

/** Guesses the channel type from the id: `D…` is a direct message, `G…` a private group, anything else a channel. */
export function inferChannelType(channel: string): ChannelType {
  if (channel.startsWith('D')) {
    return 'im';
  }
  return channel.startsWith('G') ? 'group' : 'channel';
}

/**
 * Wraps an event in the Events API `event_callback` body, the same for Socket Mode
 * (as the envelope's `payload`) and for HTTP (as the request body).
 */
export function buildEventCallback(identity: SlackIdentity, eventId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    // The legacy verification token; Bolt checks the signature instead and ignores it.
    token: 'legacy-verification-token',
    team_id: identity.teamId,
    context_team_id: identity.teamId,
    context_enterprise_id: null,
    api_app_id: identity.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: identity.teamId,
        user_id: identity.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${identity.teamId}:${eventId}`).toString('base64')}`,
  };
}

/** Builds the `message` event for a stored message; `parentUserId` is the author of the thread parent. */
export function buildMessageEvent(
  message: SlackMessage,
  channelType: ChannelType,
  parentUserId: string | undefined,
): Record<string, unknown> {
  return {
    ...eventFields(message),
    type: 'message',
    channel_type: channelType,
    ...(message.thread_ts !== undefined && parentUserId !== undefined && { parent_user_id: parentUserId }),
  };
}

/** Builds the `app_mention` event for a stored message that mentions the bot. */
export function buildAppMentionEvent(message: SlackMessage): Record<string, unknown> {
  return { ...eventFields(message), type: 'app_mention' };
}

function eventFields(message: SlackMessage): Record<string, unknown> {
  const { type: _type, ...fields } = message;
  return { ...fields, event_ts: message.ts };
}
