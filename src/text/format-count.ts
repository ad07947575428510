/**
 * Formats a count with its noun, singular for exactly 1: `1 task`, `0 tasks`, `3 tasks`.
 * `plural` is for nouns that do not just add an `s`.
 */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
