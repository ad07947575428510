/**
 * Collects repr text up to a maximum length while counting the length of all of it, so that a
 * huge value is measured without building its whole text. Lengths are in code points, as
 * Python's `len` counts them.
 */
export class ReprWriter {
  /** Code points written or counted so far, kept or not. */
  length = 0;
  private readonly parts: string[] = [];
  /** Code points stored in `parts`. */
  private kept = 0;

  constructor(readonly maxLength: number) {}

  /** True once the kept text has reached `maxLength`, so that callers may count instead of write. */
  get isFull(): boolean {
    return this.kept >= this.maxLength;
  }

  /** Code points that can still be kept. */
  get room(): number {
    return this.maxLength - this.kept;
  }

  /** Appends text, keeping what fits. */
  write(text: string): void {
    const size = codePointLength(text);
    this.length += size;
    if (this.kept >= this.maxLength) {
      return;
    }

    if (size <= this.maxLength - this.kept) {
      this.parts.push(text);
      this.kept += size;
    } else {
      this.parts.push(takeCodePoints(text, this.maxLength - this.kept));
      this.kept = this.maxLength;
    }
  }

  /** Adds the length of text that was measured but not built. Only valid once `isFull`. */
  count(size: number): void {
    this.length += size;
  }

  /** Returns the kept text: the whole repr, or its first `maxLength` code points. */
  text(): string {
    return this.parts.join('');
  }
}

/** Counts code points, so that a surrogate pair (an emoji, say) counts once. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        index += 1;
      }
    }
  }
  return length;
}

/** Returns the first `count` code points of `text`, never splitting a surrogate pair. */
export function takeCodePoints(text: string, count: number): string {
  let end = 0;
  for (let taken = 0; taken < count && end < text.length; taken += 1) {
    const unit = text.charCodeAt(end);
    const next = text.charCodeAt(end + 1);
    end += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, end);
}
