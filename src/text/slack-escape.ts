/**
 * Escapes text for Slack's mrkdwn. Slack reads `<…>` as mentions, channel pings and links and
 * `&` as the start of an entity, so anything quoted from Metaflow or from a user goes through
 * this: `<!channel>` in a log then shows as text and pings nobody.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reverses Slack's escaping of `&`, `<` and `>` in text that Slack sends to the bot. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Quotes text as inline code. Backticks inside would end the code span, so they are replaced
 * with a similar-looking prime; the text is escaped as well.
 */
export function inlineCode(text: string): string {
  const safe = escapeSlackText(text.replace(/`/g, 'ˋ').replace(/\n/g, ' '));
  return safe.length === 0 ? '` `' : `\`${safe}\``;
}

/** Quotes text as a code block; triple backticks inside are broken up so the block stays closed. */
export function codeBlock(text: string): string {
  const safe = escapeSlackText(text.replace(/```/g, '`\u200b``'));
  return `\`\`\`\n${safe.length === 0 ? ' ' : safe}\n\`\`\``;
}
