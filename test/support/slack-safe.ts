import type { BotMessage } from '../../src/actions/bot-message.ts';

/**
 * Finds the places where a reply's mrkdwn has a raw `<`, `>` or `&` that is not one of Slack's
 * own sequences, such as a placeholder `<Flow>` written without `&lt;`. Slack reads `<…>` as a
 * link or a mention, so such text does not show as written. Returns excerpts, empty when safe.
 */
export function findUnescapedSlackText(message: BotMessage): string[] {
  const problems: string[] = [];
  for (const text of mrkdwnTexts(message)) {
    for (const match of text.matchAll(/<(?![@#!]|https?:|mailto:)[^>]*>?|&(?!amp;|lt;|gt;)|(?<!^|\n)>/g)) {
      const at = match.index;
      problems.push(text.slice(Math.max(0, at - 30), at + 30));
    }
  }
  return problems;
}

function mrkdwnTexts(message: BotMessage): string[] {
  const texts = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text) {
      texts.push(block.text.text);
    } else if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string') {
          texts.push(element.text);
        }
      }
    }
  }
  return texts;
}
