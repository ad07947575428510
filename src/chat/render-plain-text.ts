import type { BotMessage } from '../actions/bot-message.ts';
import { unescapeSlackText } from '../text/slack-escape.ts';

/**
 * Renders a reply for a terminal: each block's mrkdwn with Slack's escaping undone, context
 * lines indented. Formatting marks (`*bold*`, backticks) stay, as in Slack's plain-text view.
 */
export function renderPlainText(message: BotMessage): string {
  const parts: string[] = [];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text) {
      parts.push(unescapeSlackText(block.text.text));
    } else if (block.type === 'context') {
      const texts = block.elements.map((element) => ('text' in element ? unescapeSlackText(element.text) : ''));
      parts.push(`  ${texts.join(' ')}`);
    }
  }
  return showControlCharacters(parts.length > 0 ? parts.join('\n') : unescapeSlackText(message.text));
}

/**
 * Replaces control characters other than newline and tab with a visible `\x1b`-style escape:
 * quoted from a log or a tag, an escape sequence could otherwise clear the user's screen,
 * retitle the window or hide text.
 */
export function showControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
