import { describe, expect, it } from 'vitest';
import { checkProfileAccess, type AccessRules } from '../../src/config/check-profile-access.ts';

const rules: AccessRules = {
  profiles: {
    prod: { channels: ['C0PROD'], users: ['U0ADA'] },
    dev: { channels: ['*'], users: ['*'] },
    closed: {},
  },
};

const inChannel = (profile: string, channelId: string) => ({ profile, channelId, userId: 'U0GRACE', isDirectMessage: false });
const inDirectMessage = (profile: string, userId: string) => ({ profile, channelId: 'D0DM', userId, isDirectMessage: true });

describe('checkProfileAccess', () => {
  it('allows everything without rules', () => {
    expect(checkProfileAccess(undefined, inChannel('prod', 'C0ANY'))).toEqual({ allowed: true });
    expect(checkProfileAccess(undefined, inDirectMessage('prod', 'U0ANY'))).toEqual({ allowed: true });
  });

  it('allows a listed channel', () => {
    expect(checkProfileAccess(rules, inChannel('prod', 'C0PROD'))).toEqual({ allowed: true });
  });

  it('denies an unlisted channel', () => {
    const decision = checkProfileAccess(rules, inChannel('prod', 'C0OTHER'));

    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? '' : decision.reason).toContain('`prod` is not available in this channel');
  });

  it('allows a listed DM user', () => {
    expect(checkProfileAccess(rules, inDirectMessage('prod', 'U0ADA'))).toEqual({ allowed: true });
  });

  it('denies an unlisted DM user', () => {
    const decision = checkProfileAccess(rules, inDirectMessage('prod', 'U0GRACE'));

    expect(decision.allowed).toBe(false);
    expect(decision.allowed ? '' : decision.reason).toContain('not available to you in direct messages');
  });

  it('ignores the user in channels', () => {
    const decision = checkProfileAccess(rules, { profile: 'prod', channelId: 'C0OTHER', userId: 'U0ADA', isDirectMessage: false });

    expect(decision.allowed).toBe(false);
  });

  it('ignores the channel in DMs', () => {
    const decision = checkProfileAccess(rules, { profile: 'prod', channelId: 'C0PROD', userId: 'U0GRACE', isDirectMessage: true });

    expect(decision.allowed).toBe(false);
  });

  it('allows wildcard channels and users', () => {
    expect(checkProfileAccess(rules, inChannel('dev', 'C0ANY'))).toEqual({ allowed: true });
    expect(checkProfileAccess(rules, inDirectMessage('dev', 'U0ANY'))).toEqual({ allowed: true });
  });

  it('denies everywhere with an empty rule', () => {
    expect(checkProfileAccess(rules, inChannel('closed', 'C0PROD')).allowed).toBe(false);
    expect(checkProfileAccess(rules, inDirectMessage('closed', 'U0ADA')).allowed).toBe(false);
  });

  it('denies an unnamed profile without wildcard', () => {
    expect(checkProfileAccess(rules, inChannel('staging', 'C0PROD')).allowed).toBe(false);
  });

  it('applies the wildcard profile rule', () => {
    const withWildcard: AccessRules = { profiles: { ...rules.profiles, '*': { channels: ['C0TEAM'] } } };

    expect(checkProfileAccess(withWildcard, inChannel('staging', 'C0TEAM'))).toEqual({ allowed: true });
    expect(checkProfileAccess(withWildcard, inChannel('staging', 'C0PROD')).allowed).toBe(false);
    expect(checkProfileAccess(withWildcard, inChannel('prod', 'C0TEAM')).allowed).toBe(false);
  });

  it('ignores Object prototype names', () => {
    const withWildcard: AccessRules = { profiles: { '*': { channels: ['C0TEAM'] } } };

    expect(checkProfileAccess(withWildcard, inChannel('constructor', 'C0TEAM'))).toEqual({ allowed: true });
    expect(checkProfileAccess(withWildcard, inChannel('toString', 'C0TEAM'))).toEqual({ allowed: true });
  });
});
