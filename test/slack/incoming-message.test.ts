import { describe, expect, it } from 'vitest';
import type { BotIdentity } from '../../src/slack/bot-identity.ts';
import { readIncomingMessage } from '../../src/slack/incoming-message.ts';

const identity: BotIdentity = { userId: 'U0BOT00001', botId: 'B0BOT00001', appId: 'A0APP00001', teamId: 'T0TEST0001' };
const base = { channel: 'C0GENERAL1', user: 'U0ALICE001', ts: '1767225600.000200' };

function decide(event: Record<string, unknown>) {
  return readIncomingMessage(event, 'Ev0001', identity);
}

describe('readIncomingMessage', () => {
  it('answers a mention in a new thread', () => {
    const decision = decide({ ...base, type: 'app_mention', text: '<@U0BOT00001> status' });
    expect(decision).toMatchObject({ kind: 'answer', message: { threadTs: base.ts, startsThread: true, needsKnownThread: false } });
  });

  it('answers a mention inside a thread', () => {
    const decision = decide({ ...base, type: 'app_mention', text: '<@U0BOT00001> status', thread_ts: '1767225600.000100' });
    expect(decision).toMatchObject({ kind: 'answer', message: { threadTs: '1767225600.000100', startsThread: false } });
  });

  it('answers a direct message', () => {
    const decision = decide({ ...base, channel: 'D0ALICE001', type: 'message', channel_type: 'im', text: 'status' });
    expect(decision).toMatchObject({ kind: 'answer', message: { isDirectMessage: true, needsKnownThread: false } });
  });

  it('answers a channel thread reply only in known threads', () => {
    const decision = decide({ ...base, type: 'message', channel_type: 'channel', text: 'status', thread_ts: '1767225600.000100' });
    expect(decision).toMatchObject({ kind: 'answer', message: { needsKnownThread: true } });
  });

  it('answers a message event that mentions the bot', () => {
    const decision = decide({ ...base, type: 'message', channel_type: 'channel', text: 'hey <@U0BOT00001> status' });
    expect(decision).toMatchObject({ kind: 'answer', message: { needsKnownThread: false, startsThread: true } });
  });

  it('answers a thread broadcast', () => {
    const decision = decide({ ...base, type: 'message', subtype: 'thread_broadcast', channel_type: 'channel', text: 'status', thread_ts: '1767225600.000100' });
    expect(decision.kind).toBe('answer');
  });

  it.each([
    ['a channel message outside a thread', { type: 'message', channel_type: 'channel', text: 'status' }],
    ['an edit', { type: 'message', subtype: 'message_changed', channel_type: 'channel', text: 'status' }],
    ['another bot', { type: 'message', channel_type: 'im', text: 'status', bot_id: 'B0OTHER001' }],
    ['a mention by a bot', { type: 'app_mention', text: '<@U0BOT00001> status', bot_id: 'B0OTHER001' }],
    ['the bot itself', { type: 'message', channel_type: 'im', text: 'status', user: 'U0BOT00001' }],
    ['a reaction', { type: 'reaction_added', reaction: 'eyes' }],
    ['a message without user', { type: 'message', channel_type: 'im', text: 'status', user: undefined }],
  ])('ignores %s', (_name, event) => {
    expect(decide({ ...base, ...event }).kind).toBe('ignore');
  });
});
