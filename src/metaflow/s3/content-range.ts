/**
 * Reads the object's total size from a `Content-Range` response header such as
 * `bytes 0-99/1234`. Returns `null` when the header is missing, malformed, or gives the size
 * as `*` (unknown).
 */
export function parseContentRangeTotal(header: string | undefined): number | null {
  if (header === undefined) {
    return null;
  }

  const match = /^bytes (?:\d+-\d+|\*)\/(\d+)$/.exec(header.trim());
  if (match?.[1] === undefined) {
    return null;
  }
  return Number(match[1]);
}

/**
 * Formats the HTTP `Range` header for bytes from `start` (inclusive) to `end` (exclusive, or
 * the end of the object). HTTP ranges name the last byte, hence `end - 1`.
 */
export function formatByteRange(start: number, end?: number): string {
  return end === undefined ? `bytes=${start}-` : `bytes=${start}-${end - 1}`;
}
