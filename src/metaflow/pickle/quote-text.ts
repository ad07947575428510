import { codePointLength, takeCodePoints, type ReprWriter } from './repr-writer.ts';

/*
 * Python's repr of str and bytes (CPython 3.11 `unicode_repr` and `bytes_repr`). Both use single
 * quotes unless the text contains a single quote and no double quote. Both escape the chosen
 * quote, the backslash, \t, \n and \r by name, and other control characters as \xhh.
 * In str, a non-ASCII character is shown as is when Python calls it printable, and
 * otherwise as \xhh, \uhhhh or \Uhhhhhhhh. In bytes, every byte from 0x7f up is \xhh.
 */

/**
 * Characters Python's `str.isprintable()` rejects: general categories Cc, Cf, Cs, Co, Cn, Zl, Zp
 * and Zs except the ASCII space.
 * NOTE: `\p{Cn}` follows the Unicode version of the Node.js build, and Python 3.11 uses Unicode
 * 14.0, so a character assigned after 14.0 is shown as is here but escaped by that Python.
 */
const nonPrintable = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000`;
const strEscapes = {
  "'": new RegExp(String.raw`[\\'${nonPrintable}]`, 'gu'),
  '"': new RegExp(String.raw`[\\"${nonPrintable}]`, 'gu'),
};
const namedEscapes: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"' };

/** Writes `repr(text)` for a str. */
export function writeStrRepr(writer: ReprWriter, text: string): void {
  const quote = chooseQuote(text.includes("'"), text.includes('"'));
  const escapes = strEscapes[quote];
  writer.write(quote);

  if (writer.isFull) {
    writer.count(escapedStrLength(text, escapes));
  } else {
    // Escaping never shortens text, so the first `room` code points give enough to fill the writer.
    const head = takeCodePoints(text, writer.room);
    writer.write(head.replace(escapes, escapeChar));
    if (head.length < text.length) {
      writer.count(escapedStrLength(text.slice(head.length), escapes));
    }
  }

  writer.write(quote);
}

/** Writes `repr(data)` for bytes, with the `b` prefix. */
export function writeBytesRepr(writer: ReprWriter, data: Uint8Array): void {
  const quote = chooseQuote(data.includes(0x27), data.includes(0x22));
  const table = quote === "'" ? byteEscapesSingle : byteEscapesDouble;
  writer.write(`b${quote}`);

  const built = Math.min(data.length, writer.room);
  const parts = new Array<string>(built);
  for (let index = 0; index < built; index += 1) {
    parts[index] = table[data[index] as number] as string;
  }
  writer.write(parts.join(''));

  let rest = 0;
  for (let index = built; index < data.length; index += 1) {
    rest += (table[data[index] as number] as string).length;
  }
  writer.count(rest);

  writer.write(quote);
}

function chooseQuote(hasSingle: boolean, hasDouble: boolean): "'" | '"' {
  return hasSingle && !hasDouble ? '"' : "'";
}

function escapeChar(char: string): string {
  const named = namedEscapes[char];
  if (named !== undefined) {
    return named;
  }
  const codePoint = char.codePointAt(0) as number;
  if (codePoint <= 0xff) return `\\x${hex(codePoint, 2)}`;
  if (codePoint <= 0xffff) return `\\u${hex(codePoint, 4)}`;
  return `\\U${hex(codePoint, 8)}`;
}

function escapedStrLength(text: string, escapes: RegExp): number {
  let length = codePointLength(text);
  for (const [char] of text.matchAll(escapes)) {
    length += escapeChar(char).length - 1;
  }
  return length;
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

function byteEscapeTable(quote: "'" | '"'): string[] {
  return Array.from({ length: 256 }, (_, byte) => {
    const char = String.fromCharCode(byte);
    if (char === quote || char === '\\' || char === '\t' || char === '\n' || char === '\r') {
      return namedEscapes[char] as string;
    }
    return byte < 0x20 || byte >= 0x7f ? `\\x${hex(byte, 2)}` : char;
  });
}

const byteEscapesSingle = byteEscapeTable("'");
const byteEscapesDouble = byteEscapeTable('"');
