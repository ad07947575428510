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
  return parts.length > 0 ? parts.join('\n') : unescapeSlackText(message.text);
}
