import { SlackApiError } from './slack-api-error.ts';

/** One page of a cursor-paginated list, and the cursor of the next page when there is one. */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string;
}

/**
 * Cuts a page of `limit` items out of `items` (already in response order), starting at
 * the item that `cursor` names. Like Slack's cursors, this one is opaque base64, here of
 * `next_ts:<ts of the first item of the next page>`. An unknown cursor throws `invalid_cursor`.
 */
export function takeCursorPage<T extends { ts: string }>(items: T[], limit: number, cursor: string | undefined): CursorPage<T> {
  const start = cursor === undefined || cursor === '' ? 0 : findCursorIndex(items, cursor);
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return next ? { items: page, nextCursor: encodeCursor(next.ts) } : { items: page };
}

function findCursorIndex<T extends { ts: string }>(items: T[], cursor: string): number {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const ts = decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
  const index = ts === undefined ? -1 : items.findIndex((item) => item.ts === ts);
  if (index === -1) {
    throw new SlackApiError('invalid_cursor', [`[ERROR] cursor ${cursor} does not name a message of this list`]);
  }
  return index;
}

function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${ts}`, 'utf8').toString('base64');
}
