import { PickleFault } from './pickle-fault.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes UTF-8 as Python's pickle does (`'surrogatepass'`): a str may hold lone surrogates,
 * which Python writes as 3-byte sequences that strict UTF-8 rejects. They become lone UTF-16
 * code units.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeUtf8WithSurrogates(bytes);
  }
}

function decodeUtf8WithSurrogates(bytes: Uint8Array): string {
  const units: string[] = [];
  let index = 0;

  while (index < bytes.length) {
    const lead = bytes[index] as number;
    const length = utf8SequenceLength(lead);
    if (length === 0 || index + length > bytes.length) {
      throw new PickleFault(`the text is not valid UTF-8 at byte ${index} of the string`);
    }

    let codePoint = length === 1 ? lead : lead & (0x7f >> length);
    for (let offset = 1; offset < length; offset += 1) {
      const continuation = bytes[index + offset] as number;
      if ((continuation & 0xc0) !== 0x80) {
        throw new PickleFault(`the text is not valid UTF-8 at byte ${index} of the string`);
      }
      codePoint = (codePoint << 6) | (continuation & 0x3f);
    }

    const smallest = [0, 0, 0x80, 0x800, 0x10000][length] as number;
    if (codePoint < smallest || codePoint > 0x10ffff) {
      throw new PickleFault(`the text is not valid UTF-8 at byte ${index} of the string`);
    }
    units.push(String.fromCodePoint(codePoint));
    index += length;
  }

  return units.join('');
}

/** Returns the length of the UTF-8 sequence that starts with `lead`, or 0 when no sequence can. */
function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf5) return 4;
  return 0;
}

/** Decodes bytes as Latin-1, where each byte is the code point of the same value. */
export function decodeLatin1(bytes: Uint8Array): string {
  // Not TextDecoder('latin1'): the Encoding standard maps that label to windows-1252.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Decodes a protocol 0 or 1 byte string (STRING, BINSTRING) as Python 3 does by default:
 * ASCII only, because it cannot know the Python 2 encoding.
 */
export function decodeAscii(bytes: Uint8Array): string {
  const nonAscii = bytes.findIndex((byte) => byte > 0x7f);
  if (nonAscii !== -1) {
    throw new PickleFault(
      `the Python 2 byte string has the non-ASCII byte 0x${(bytes[nonAscii] as number).toString(16)}, and Python 3 reads these as ASCII`,
    );
  }
  return decodeLatin1(bytes);
}

/**
 * Decodes the argument of the UNICODE opcode (Python's `raw-unicode-escape` codec): bytes are
 * Latin-1 except `\uXXXX` and `\UXXXXXXXX`.
 */
export function decodeRawUnicodeEscape(bytes: Uint8Array): string {
  const text = decodeLatin1(bytes);
  return text.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/g, (match, short?: string, long?: string) => {
    const codePoint = Number.parseInt(short ?? long ?? '', 16);
    if (codePoint > 0x10ffff) {
      throw new PickleFault(`the escape ${match} is beyond the last Unicode code point`);
    }
    return codePointToUnits(codePoint);
  });
}

/**
 * Decodes the quoted argument of the STRING opcode (Python's `repr` of a Python 2 byte string)
 * into its bytes.
 */
export function decodeQuotedBytes(line: Uint8Array): Uint8Array {
  const text = decodeLatin1(line);
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) {
    throw new PickleFault('the STRING argument is not enclosed in matching quotes');
  }
  return unescapeBytes(text.slice(1, -1));
}

const simpleEscapes: Record<string, number> = {
  '\\': 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b,
};

function unescapeBytes(body: string): Uint8Array {
  const out: number[] = [];
  const pattern = /\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])|([\s\S])/g;

  for (const match of body.matchAll(pattern)) {
    const [, escape, plain] = match;
    if (plain !== undefined) {
      out.push(plain.charCodeAt(0));
    } else if (escape !== undefined && escape.length > 1 && escape[0] === 'x') {
      out.push(Number.parseInt(escape.slice(1), 16));
    } else if (escape !== undefined && /^[0-7]+$/.test(escape)) {
      out.push(Number.parseInt(escape, 8) & 0xff);
    } else if (escape !== undefined && escape in simpleEscapes) {
      out.push(simpleEscapes[escape] as number);
    } else if (escape === 'x') {
      throw new PickleFault('the STRING argument has a \\x escape without two hex digits');
    } else {
      // Python keeps an unknown escape such as `\q` as both characters.
      out.push(0x5c, (escape ?? '').charCodeAt(0));
    }
  }

  return Uint8Array.from(out);
}

/** Turns a code point into UTF-16, leaving a surrogate code point as a lone unit as Python does. */
function codePointToUnits(codePoint: number): string {
  return codePoint >= 0xd800 && codePoint <= 0xdfff ? String.fromCharCode(codePoint) : String.fromCodePoint(codePoint);
}

/** Returns the Latin-1 bytes of `text`, or `undefined` when a character is above U+00FF. */
export function encodeLatin1(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit > 0xff) {
      return undefined;
    }
    bytes[index] = unit;
  }
  return bytes;
}
