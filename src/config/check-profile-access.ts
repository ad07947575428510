/** Wildcard: in `profiles`, every profile without its own rule; in a list, every channel or user. */
export const accessWildcard = '*';

/** Conversations that may use one Metaflow profile. */
export interface ProfileRule {
  /** Slack channel IDs (`C…`, `G…`) whose threads may use the profile, or `*`. */
  channels?: string[];
  /** Slack user IDs (`U…`, `W…`) who may use the profile in a direct message, or `*`. */
  users?: string[];
}

/** Access rules from the config file's `access` section. */
export interface AccessRules {
  /** One rule per profile name; the key `*` is the rule for every profile not named. */
  profiles: Record<string, ProfileRule>;
}

/** A request to use a profile, with the conversation and the user it comes from. */
export interface AccessRequest {
  profile: string;
  channelId: string;
  userId: string;
  /** True in a one-to-one direct message with the bot, where the user, not the channel, counts. */
  isDirectMessage: boolean;
}

/** The outcome of an access check; `reason` is a sentence to show the user. */
export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides whether a conversation may use a profile. Without rules every profile is open.
 * With rules, a profile follows its own rule, else the `*` rule, else it is closed. In a
 * channel the channel ID must be listed; in a direct message the user ID must be.
 */
export function checkProfileAccess(rules: AccessRules | undefined, request: AccessRequest): AccessDecision {
  if (!rules) {
    return { allowed: true };
  }

  const rule = findRule(rules, request.profile);
  if (request.isDirectMessage) {
    if (listsId(rule?.users, request.userId)) {
      return { allowed: true };
    }
    return {
      allowed: false,
      reason: `The Metaflow profile \`${request.profile}\` is not available to you in direct messages. Ask the bot's administrator for access, or use a channel where the profile is allowed.`,
    };
  }

  if (listsId(rule?.channels, request.channelId)) {
    return { allowed: true };
  }
  return {
    allowed: false,
    reason: `The Metaflow profile \`${request.profile}\` is not available in this channel. Ask the bot's administrator to allow it here, or choose another profile.`,
  };
}

/** Looks up own keys only, so that a profile named like an `Object` method cannot match one. */
function findRule(rules: AccessRules, profile: string): ProfileRule | undefined {
  if (Object.hasOwn(rules.profiles, profile)) {
    return rules.profiles[profile];
  }
  if (Object.hasOwn(rules.profiles, accessWildcard)) {
    return rules.profiles[accessWildcard];
  }
  return undefined;
}

function listsId(ids: readonly string[] | undefined, id: string): boolean {
  return ids !== undefined && (ids.includes(accessWildcard) || ids.includes(id));
}
