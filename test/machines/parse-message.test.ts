import { describe, expect, it } from 'vitest';
import { maxCommandLength, normalizeMessage, parseMessage } from '../../src/machines/parse-message.ts';

describe('parseMessage', () => {
  it('ignores case and extra spaces in commands', () => {
    expect(parseMessage('  STATUS  ')).toEqual({ type: 'user.status' });
    expect(parseMessage('Params')).toEqual({ type: 'user.params' });
    expect(parseMessage('parameters')).toEqual({ type: 'user.params' });
  });

  it('strips the bot mention', () => {
    expect(parseMessage('<@U0BOT> status', { botUserId: 'U0BOT' })).toEqual({ type: 'user.status' });
    expect(parseMessage('<@U0BOT|metaflowbot>   flows', { botUserId: 'U0BOT' })).toEqual({ type: 'user.flows' });
  });

  it('treats only a mention as an empty message', () => {
    expect(parseMessage('<@U0BOT>', { botUserId: 'U0BOT' })).toEqual({ type: 'user.unknown', text: '', suggestion: null });
  });

  it('reads help topics', () => {
    expect(parseMessage('help')).toEqual({ type: 'user.help', topic: 'general', unknownTopic: null });
    expect(parseMessage('how to inspect')).toEqual({ type: 'user.help', topic: 'inspect', unknownTopic: null });
    expect(parseMessage('How to inspect a run?')).toEqual({ type: 'user.help', topic: 'inspect', unknownTopic: null });
    expect(parseMessage('help logs')).toEqual({ type: 'user.help', topic: 'logs', unknownTopic: null });
    expect(parseMessage('how to do anything')).toEqual({ type: 'user.help', topic: 'general', unknownTopic: null });
  });

  it('reads help for commands without a topic', () => {
    expect(parseMessage('help forget')).toEqual({ type: 'user.help', topic: 'general', unknownTopic: null });
    expect(parseMessage('help use')).toEqual({ type: 'user.help', topic: 'profiles', unknownTopic: null });
    expect(parseMessage('help me')).toEqual({ type: 'user.help', topic: 'general', unknownTopic: null });
  });

  it('reads help for an unknown command', () => {
    expect(parseMessage('help nosuch')).toEqual({
      type: 'user.help',
      topic: 'general',
      unknownTopic: { word: 'nosuch', suggestions: [] },
    });
    expect(parseMessage('help Stauts')).toEqual({
      type: 'user.help',
      topic: 'general',
      unknownTopic: { word: 'Stauts', suggestions: ['status'] },
    });
  });

  it('reads prototype names as no topic', () => {
    expect(parseMessage('how to constructor')).toEqual({ type: 'user.help', topic: 'general', unknownTopic: null });
    expect(parseMessage('help toString')).toMatchObject({ topic: 'general', unknownTopic: { word: 'toString' } });
  });

  it('reads inspect with and without a runspec', () => {
    expect(parseMessage('inspect')).toEqual({ type: 'user.inspect', runspec: null });
    expect(parseMessage('inspect HelloFlow/1796413072186822')).toEqual({
      type: 'user.inspect',
      runspec: { kind: 'pathspec', flow: 'HelloFlow', runId: '1796413072186822' },
    });
    expect(parseMessage("inspect alice's latest run of HelloFlow tagged prod")).toEqual({
      type: 'user.inspect',
      runspec: { kind: 'latest', flow: 'HelloFlow', user: 'alice', tags: ['prod'], successful: false },
    });
  });

  it('unwraps runspecs written as code', () => {
    expect(parseMessage('inspect `HelloFlow/12`')).toEqual({
      type: 'user.inspect',
      runspec: { kind: 'pathspec', flow: 'HelloFlow', runId: '12' },
    });
    expect(parseMessage('```inspect HelloFlow```')).toEqual({
      type: 'user.inspect',
      runspec: { kind: 'runs', flow: 'HelloFlow', user: null, tags: [] },
    });
  });

  it('reads a number as a choice from a list', () => {
    expect(parseMessage('2')).toEqual({ type: 'user.choose', index: 2 });
    expect(parseMessage('0')).toEqual({ type: 'user.choose', index: 0 });
    expect(parseMessage('1796413072186822').type).toBe('user.unknown');
  });

  it('reads data and logs targets', () => {
    expect(parseMessage('data')).toEqual({ type: 'user.data', target: null });
    expect(parseMessage('data train/history')).toEqual({ type: 'user.data', target: 'train/history' });
    expect(parseMessage('logs')).toEqual({ type: 'user.logs', target: null, stream: 'stdout' });
    expect(parseMessage('logs train stderr')).toEqual({ type: 'user.logs', target: 'train', stream: 'stderr' });
    expect(parseMessage('logs STDERR shard/4')).toEqual({ type: 'user.logs', target: 'shard/4', stream: 'stderr' });
  });

  it('reads export forms', () => {
    expect(parseMessage('export csv')).toEqual({ type: 'user.export', format: 'csv', scope: 'runs', runspec: null });
    expect(parseMessage('export JSON run')).toEqual({ type: 'user.export', format: 'json', scope: 'run', runspec: null });
    expect(parseMessage("export csv bob's HelloFlow")).toEqual({
      type: 'user.export',
      format: 'csv',
      scope: 'runs',
      runspec: { kind: 'runs', flow: 'HelloFlow', user: 'bob', tags: [] },
    });
    expect(parseMessage('export xml').type).toBe('user.invalid');
  });

  it('suggests the closest command for a typo', () => {
    expect(parseMessage('stauts')).toEqual({ type: 'user.unknown', text: 'stauts', suggestion: 'status' });
    expect(parseMessage('inspcet HelloFlow')).toMatchObject({ type: 'user.unknown', suggestion: 'inspect' });
  });

  it('reads help how to inspect', () => {
    expect(parseMessage('help how to inspect')).toEqual(parseMessage('how to inspect'));
  });

  it('points status with a run to inspect', () => {
    const event = parseMessage('status HelloFlow/42');
    expect(event).toMatchObject({ type: 'user.invalid', problem: expect.stringContaining('set it first with `inspect HelloFlow/42`') });
    expect(parseMessage('params the latest run of HelloFlow')).toMatchObject({ type: 'user.invalid', problem: expect.stringContaining('then ask `params`') });
    expect(parseMessage('status foo bar')).toMatchObject({ type: 'user.unknown', suggestion: 'status' });
  });

  it('does not read a 40,000-character message', () => {
    const event = parseMessage('status '.repeat(5_715));
    expect(event.type).toBe('user.invalid');
  });

  it('rejects a message just over the command limit', () => {
    expect(parseMessage(`inspect ${'a'.repeat(maxCommandLength)}`).type).toBe('user.invalid');
  });

  it('keeps emoji and right-to-left text as unknown input', () => {
    expect(parseMessage('🚀🚀 שלום')).toMatchObject({ type: 'user.unknown', text: '🚀🚀 שלום' });
  });

  it('rejects a runspec name longer than the limit', () => {
    expect(parseMessage(`inspect ${'F'.repeat(300)}`).type).toBe('user.invalid');
  });
});

describe('normalizeMessage', () => {
  it('drops control characters and bidi overrides', () => {
    expect(normalizeMessage('status\u0000')).toBe('status');
    expect(normalizeMessage('inspect \u202eHelloFlow')).toBe('inspect HelloFlow');
    expect(normalizeMessage('inspect\u001b[31m HelloFlow')).toBe('inspect [31m HelloFlow');
  });

  it('undoes Slack escaping', () => {
    expect(normalizeMessage('data a &lt;b&gt; &amp; c')).toBe('data a <b> & c');
  });
});
