import { requireString, type ApiArgs } from './api-args.ts';
import type { MethodContext, MethodResult, MethodTable } from './method-spec.ts';
import { SlackApiError } from './slack-api-error.ts';

/** `auth.test`, `apps.connections.open` and `users.info`. */
export function identityMethods(context: MethodContext): MethodTable {
  return {
    'auth.test': { token: 'bot', handle: () => testAuth(context) },
    'apps.connections.open': { token: 'app', handle: () => ({ url: context.openSocketUrl() }) },
    'users.info': { token: 'bot', handle: (args) => describeUser(context, args) },
  };
}

/** Bolt reads `user_id` and `bot_id` from this response to recognise its own messages. */
function testAuth(context: MethodContext): MethodResult {
  const { identity } = context;
  return {
    url: `${context.baseUrl}/`,
    team: identity.teamName,
    user: identity.botName,
    team_id: identity.teamId,
    user_id: identity.botUserId,
    bot_id: identity.botId,
    app_id: identity.appId,
    is_enterprise_install: false,
  };
}

function describeUser(context: MethodContext, args: ApiArgs): MethodResult {
  const id = requireString(args, 'user', 'user_not_found');
  const user = context.store.findUser(id);
  if (!user) {
    throw new SlackApiError('user_not_found');
  }

  const profile: Record<string, unknown> = { real_name: user.realName, display_name: user.name };
  if (id === context.identity.botUserId) {
    profile['bot_id'] = context.identity.botId;
    profile['api_app_id'] = context.identity.appId;
  }
  return {
    user: {
      id: user.id,
      team_id: context.identity.teamId,
      name: user.name,
      real_name: user.realName,
      deleted: false,
      is_bot: user.isBot,
      is_app_user: false,
      tz: user.tz,
      tz_offset: utcOffsetSeconds(user.tz, new Date()),
      profile,
    },
  };
}

/** Offset of `timeZone` from UTC at `date`, in seconds, as Slack's `tz_offset` gives it. */
function utcOffsetSeconds(timeZone: string, date: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(date);
  const zoneName = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zoneName);
  if (!match) {
    return 0;
  }
  const sign = match[1] === '-' ? -1 : 1;
  return sign * (Number(match[2]) * 3600 + Number(match[3]) * 60);
}
