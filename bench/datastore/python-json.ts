/**
 * JSON text as Python's `json.dumps` writes it with its defaults, which is how Metaflow 2.19.38
 * writes its metadata and datastore records: `", "` and `": "` separators, and every character
 * outside printable ASCII escaped (`ensure_ascii=True`).
 */
import { formatFloat } from '../../src/metaflow/pickle/format-float.ts';

/** A Python `float` in JSON. A plain number is written as an `int`, so it must be an integer. */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/** A value that `toPythonJson` writes. Object keys keep their insertion order. */
export type PythonJson = null | boolean | number | string | PythonFloat | readonly PythonJson[] | { readonly [key: string]: PythonJson };

/** Writes `value` as `json.dumps(value)` would. */
export function toPythonJson(value: PythonJson): string {
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`toPythonJson writes plain numbers as Python ints, but ${value} is not a safe integer. Wrap floats in PythonFloat.`);
    }
    return String(value);
  }
  if (typeof value === 'string') {
    return quote(value);
  }
  if (value instanceof PythonFloat) {
    if (!Number.isFinite(value.value)) {
      throw new RangeError(`toPythonJson writes finite floats only, not ${value.value}.`);
    }
    return formatFloat(value.value, { addDotZero: true });
  }
  if (Array.isArray(value)) {
    return `[${value.map(toPythonJson).join(', ')}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: PythonJson });
  return `{${entries.map(([key, item]) => `${quote(key)}: ${toPythonJson(item)}`).join(', ')}}`;
}

/** Quotes a string, escaping DEL and everything above it as `\uXXXX` (UTF-16 units, as Python does). */
function quote(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
