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

/**
 * Scheme and optional slashes of a URL, followed by a user info part that ends in `@` before
 * the first `/`, `\`, `?` or `#`. The slashes are optional because the WHATWG URL parser also
 * reads `http:user:pass@host` as a URL with credentials.
 */
const urlUserInfo = /^(\s*[A-Za-z][A-Za-z0-9+.-]*:[/\\]*)[^/\\?#]*@/;

/**
 * Replaces the user name and password of a URL at the start of `text` with `…`, as in
 * `http://…@127.0.0.1:8080`, so that an error or `config show` can quote a URL that carries
 * credentials. Text without such a part comes back unchanged.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(urlUserInfo, '$1…@');
}
