/**
 * Describes a `JSON.parse` error without the text excerpt that V8 puts in some messages
 * (`Unexpected token 'x', "…" is not valid JSON`, or `…, ..."…"... is not valid JSON` when it
 * cuts the text), because the excerpt can contain a secret. A character offset becomes a line
 * and column, both counted from 1.
 */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const withoutExcerpt = message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');

  const offset = /at position (\d+)/.exec(withoutExcerpt)?.[1];
  if (offset === undefined) {
    return withoutExcerpt;
  }
  const before = text.slice(0, Number(offset));
  const line = before.split('\n').length;
  const column = Number(offset) - before.lastIndexOf('\n');
  const summary = withoutExcerpt.replace(/( in JSON)? at position \d+.*$/s, '');
  return `${summary} at line ${line}, column ${column}`;
}
