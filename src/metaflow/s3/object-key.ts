import { MetaflowError } from '../errors.ts';

/**
 * Joins datastore key segments under `prefix` into an S3 object key. Callers validate names
 * before they get here, and this check is the last defense. It throws
 * `MetaflowError('invalid_name')` for an empty key, or a segment that is empty, `.`, `..` or
 * contains `/`. S3 itself would store such keys, and a key with `..` would read an object
 * outside the place that Metaflow's layout gives it.
 */
export function buildObjectKey(prefix: string, segments: readonly string[]): string {
  if (segments.length === 0) {
    throw new MetaflowError('invalid_name', 'Invalid datastore key: it has no segments.');
  }

  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/')) {
      const quotedKey = JSON.stringify(segments.join('/'));
      throw new MetaflowError('invalid_name', `Invalid datastore key ${quotedKey}: segment ${JSON.stringify(segment)} is empty, "." or "..", or contains "/".`);
    }
  }

  const path = segments.join('/');
  return prefix === '' ? path : `${prefix}/${path}`;
}
