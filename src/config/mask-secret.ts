/** Shortest secret of which the last four characters may be shown. */
const minLengthToShowEnd = 16;

/** Slack token types (`xoxb-`, `xapp-`, `xoxp-` …): the prefix names the kind, not the secret. */
const tokenTypePrefix = /^(xox[a-z]|xapp)-/;

/**
 * Masks a secret for display, as `xoxb-…abcd`: the Slack token type, if any, and the last
 * four characters. A secret shorter than 16 characters shows no characters at all, so
 * that no display ever gives away more than four characters or a guessable share of it.
 */
export function maskSecret(secret: string): string {
  if (secret.length === 0) {
    return '(empty)';
  }
  const prefix = tokenTypePrefix.exec(secret)?.[0] ?? '';
  if (secret.length < minLengthToShowEnd) {
    return `${prefix}…`;
  }
  return `${prefix}…${secret.slice(-4)}`;
}

/** Tells whether a value looks like a Slack token, so that error messages mask it. */
export function looksLikeSlackToken(value: string): boolean {
  return tokenTypePrefix.test(value);
}
