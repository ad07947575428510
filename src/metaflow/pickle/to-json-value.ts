import type { PyValue } from './python-value.ts';
import { renderRepr } from './render-repr.ts';

/** Largest magnitude up to which every integer is exact as a JavaScript number. */
const maxExactInteger = 2n ** 53n;

/**
 * Returns the value as plain JSON when it has one exact JSON form, else its repr string. The
 * exact forms are None as null, bools, ints (as numbers up to 2**53 in magnitude, as decimal
 * strings beyond), finite floats, str, lists and tuples as arrays, and dicts whose keys are all
 * str as objects. One part without such a form (a nan, a set, a datetime, an int-keyed dict, a
 * cycle) makes the whole value fall back to its full repr.
 */
export function toJsonValue(value: PyValue): unknown {
  const json = exactJson(value, new Set());
  return json === noJsonForm ? renderRepr(value).text : json;
}

const noJsonForm = Symbol('no JSON form');

function exactJson(value: PyValue, open: Set<PyValue>): unknown {
  switch (value.kind) {
    case 'none':
      return null;
    case 'bool':
    case 'str':
      return value.value;
    case 'int':
      return value.value <= maxExactInteger && value.value >= -maxExactInteger ? Number(value.value) : value.value.toString();
    case 'float':
      return Number.isFinite(value.value) ? value.value : noJsonForm;
    case 'list':
    case 'tuple':
      return withinPath(value, open, () => mapAll(value.items, (item) => exactJson(item, open)));
    case 'dict':
      return withinPath(value, open, () => objectFromEntries(value.entries, open));
    default:
      return noJsonForm;
  }
}

/** Runs `convert` with `value` marked as open, and gives up on a value that contains itself. */
function withinPath(value: PyValue, open: Set<PyValue>, convert: () => unknown): unknown {
  if (open.has(value)) {
    return noJsonForm;
  }
  open.add(value);
  const json = convert();
  open.delete(value);
  return json;
}

function mapAll(items: PyValue[], convert: (item: PyValue) => unknown): unknown {
  const out: unknown[] = [];
  for (const item of items) {
    const json = convert(item);
    if (json === noJsonForm) return noJsonForm;
    out.push(json);
  }
  return out;
}

function objectFromEntries(entries: [PyValue, PyValue][], open: Set<PyValue>): unknown {
  const pairs: [string, unknown][] = [];
  for (const [key, item] of entries) {
    const json = exactJson(item, open);
    if (key.kind !== 'str' || json === noJsonForm) return noJsonForm;
    pairs.push([key.value, json]);
  }
  // Object.fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
  return Object.fromEntries(pairs);
}
