import { describe, expect, it } from 'vitest';
import type { BotMessage } from '../../src/actions/bot-message.ts';
import { slackLimits } from '../../src/actions/bot-message.ts';
import { metaflowLocalRoot } from '../support/fixture-paths.ts';
import { createThreadHarness, joinReplies, type ThreadHarness } from '../support/thread-harness.ts';

const root = metaflowLocalRoot;

/** A thread with HelloFlow's newest successful run set, the replies so far cleared. */
async function threadWithRun(): Promise<ThreadHarness> {
  const harness = createThreadHarness({ root });
  await harness.say('inspect HelloFlow/1796413130413220');
  harness.replies.length = 0;
  return harness;
}

/** Every piece of mrkdwn a Slack client would render from a reply. */
function slackTexts(message: BotMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text) {
      texts.push(block.text.text);
    }
    if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element) {
          texts.push(element.text);
        }
      }
    }
  }
  return texts;
}

const badMessages: Array<[string, string, RegExp]> = [
  ['empty message', '', /no command in it/],
  ['only a mention', '<@U0BOT>', /no command in it/],
  ['40,000 characters', 'x'.repeat(40_000), /40000 characters long/],
  ['emoji and right-to-left text', '🚀 مرحبا שלום', /I don't know what to do with/],
  ['a code block', '```\nrm -rf /\n```', /I don't know what to do with/],
  ['a runspec with ../', 'inspect ../../etc/passwd', /not a runspec I know/],
  ['a flow named ..', 'inspect ../etc', /flow name|not a valid|invalid/i],
  ['an encoded separator', 'inspect HelloFlow%2F..%2F..', /no flow|invalid|not a valid/i],
  ['a run id that does not exist', 'inspect HelloFlow/42', /There is no run `HelloFlow\/42`/],
  ['a flow name with a typo', 'inspect HeloFlow', /There is no flow named `HeloFlow`.*Did you mean `HelloFlow`/s],
  ['a data name with ../', 'data ../../../../etc/passwd', /too many parts|invalid|not a valid/i],
  ['a step name with ../', 'logs ../etc', /too many parts|invalid|not a valid|has no step/i],
  ['a NUL byte', 'data hist\u0000ory', /invalid|not a valid|has no artifact/i],
];

describe('bad input', () => {
  it.each(badMessages)('%s gets a clear reply and keeps the state', async (_name, text, expected) => {
    const harness = await threadWithRun();
    const before = harness.session.state;
    const replies = await harness.say(text);

    expect(replies.length).toBeGreaterThan(0);
    expect(joinReplies(replies)).toMatch(expected);
    expect(harness.session.state.context.run).toEqual(before.context.run);
    expect(harness.session.state.state).toBe('ready.runSet');
  });

  it.each(badMessages)('%s as the first message of a thread', async (_name, text) => {
    const harness = createThreadHarness({ root });
    const replies = await harness.say(text);
    expect(replies.length).toBeGreaterThan(0);
    expect(harness.session.state.context.run).toBeNull();
  });

  it('quoted user text never pings a channel', async () => {
    const harness = await threadWithRun();
    const replies = await harness.say('<!channel> hello <@U123> &amp;');
    for (const text of replies.flatMap((reply) => slackTexts(reply.message))) {
      expect(text).not.toMatch(/<!channel>|<@U123>/);
    }
  });

  it('a parameter value that pings is escaped', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect HelloFlow/1796413091695377');
    const replies = await harness.say('params');
    const texts = replies.flatMap((reply) => slackTexts(reply.message)).join('\n');
    expect(texts).toContain('&lt;!channel&gt; hi @here');
    expect(texts).not.toContain('<!channel>');
  });

  it('a log that pings and links is escaped', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect LogFlow/1796413166374227');
    const replies = await harness.say('logs start');
    const texts = replies.flatMap((reply) => slackTexts(reply.message)).join('\n');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).toContain('&lt;https://example.com|click&gt;');
    expect(texts).not.toMatch(/<!channel>|<!here>|<@U|<#C|<https:/);
  });

  it('invalid UTF-8 in a log shows replacement characters', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect LogFlow/1796413166374227');
    expect(joinReplies(await harness.say('logs junk'))).toContain('\uFFFD');
  });

  it('a huge artifact is cut within Slack limits and attached whole', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect ArtifactFlow/1796413164385022');
    const replies = await harness.say('data start/big_list');
    const message = replies[0]?.message;
    expect(message?.blocks.length).toBeLessThanOrEqual(slackLimits.blocksPerMessage);
    for (const text of message ? slackTexts(message) : []) {
      expect(text.length).toBeLessThanOrEqual(slackLimits.sectionTextCharacters);
    }
    expect(message?.file?.content.length).toBe(1_000_000);
    expect(joinReplies(replies)).toContain('of 7,888,890 characters');
  });

  it('an object the bot cannot decode shows its class', async () => {
    const harness = createThreadHarness({ root });
    await harness.say('inspect FailFlow/1796413159306796');
    const text = joinReplies(await harness.say('data start/_foreach_stack'));
    expect(text).toMatch(/has no artifact|ForeachFrame/);
  });
});
