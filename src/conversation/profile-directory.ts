import { checkProfileAccess, type AccessDecision, type AccessRules } from '../config/index.ts';
import type { MetaflowReader } from '../metaflow/reader.ts';

/** Audience of a thread for the access rules: the channel, or the user in a direct message. */
export interface ThreadAudience {
  channelId: string;
  userId: string;
  isDirectMessage: boolean;
}

/** One configured Metaflow profile, with its reader or the reason it cannot be read. */
export type ProfileSource =
  | { name: string; reader: MetaflowReader }
  | { name: string; reader: null; problem: string };

/**
 * The Metaflow profiles (deployments) a bot serves, and which conversations may use which.
 * A thread reads its own profile, or the default one until it switches.
 */
export class ProfileDirectory {
  readonly defaultProfile: string;
  private readonly sources: Map<string, ProfileSource>;
  private readonly rules: AccessRules | undefined;

  constructor(sources: readonly ProfileSource[], defaultProfile: string, rules: AccessRules | undefined) {
    this.sources = new Map(sources.map((source) => [source.name, source]));
    this.defaultProfile = defaultProfile;
    this.rules = rules;
  }

  /** Lists every profile, the default first, then by name. */
  list(): ProfileSource[] {
    const others = [...this.sources.values()].filter((source) => source.name !== this.defaultProfile);
    const first = this.sources.get(this.defaultProfile);
    return [...(first ? [first] : []), ...others.sort((a, b) => a.name.localeCompare(b.name))];
  }

  find(name: string): ProfileSource | undefined {
    return this.sources.get(name);
  }

  checkAccess(profile: string, audience: ThreadAudience): AccessDecision {
    return checkProfileAccess(this.rules, { profile, ...audience });
  }

  /** Returns the label replies use for the profile, or `null` when there is only one profile. */
  sourceLabel(profile: string): string | null {
    return this.sources.size > 1 ? `profile ${profile}` : null;
  }
}
