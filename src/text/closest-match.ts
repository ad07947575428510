/**
 * Returns the candidates closest to `input` by edit distance, best first, for "did you mean"
 * answers. Comparison ignores case. A candidate qualifies when its distance is at most a third
 * of its length (at least 2), or when one string starts with the other.
 */
export function findClosestMatches(input: string, candidates: readonly string[], maxResults = 3): string[] {
  const needle = input.toLowerCase();
  const scored: Array<{ candidate: string; distance: number }> = [];

  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    const distance = editDistance(needle, hay);
    const allowed = Math.max(2, Math.floor(hay.length / 3));
    const isPrefix = needle.length >= 3 && (hay.startsWith(needle) || needle.startsWith(hay));
    if (distance <= allowed || isPrefix) {
      scored.push({ candidate, distance: isPrefix ? Math.min(distance, 1) : distance });
    }
  }

  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, maxResults).map((entry) => entry.candidate);
}

/** Levenshtein distance, in code units; inputs longer than 200 characters count as far apart. */
export function editDistance(a: string, b: string): number {
  if (a.length > 200 || b.length > 200) {
    return Math.max(a.length, b.length);
  }
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
