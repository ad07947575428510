import { describe, expect, it } from 'vitest';
import { textMessage } from '../../src/actions/bot-message.ts';
import { renderPlainText, showControlCharacters } from '../../src/chat/render-plain-text.ts';

describe('renderPlainText', () => {
  it('undoes Slack escaping', () => {
    expect(renderPlainText(textMessage('a &lt;!channel&gt; &amp; b'))).toBe('a <!channel> & b');
  });

  it('shows terminal escape sequences instead of sending them', () => {
    const text = renderPlainText(textMessage('tag \u001b]0;pwned\u0007 and \u001b[2J'));
    expect(text).toBe('tag \\x1b]0;pwned\\x07 and \\x1b[2J');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});

describe('showControlCharacters', () => {
  it('keeps newlines and tabs', () => {
    expect(showControlCharacters('a\n\tb')).toBe('a\n\tb');
  });

  it('escapes C1 controls and DEL', () => {
    expect(showControlCharacters('\u009b31m\u007f')).toBe('\\x9b31m\\x7f');
  });
});
