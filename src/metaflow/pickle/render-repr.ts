import { exceptionWrapperText } from './exception-wrapper-text.ts';
import { formatFloat } from './format-float.ts';
import type { PyComplex, PyDict, PyFrozenSet, PyList, PyObject, PySet, PyTuple, PyValue } from './python-value.ts';
import { pythonTypeName } from './python-type-name.ts';
import { writeBytesRepr, writeStrRepr } from './quote-text.ts';
import { timeDeltaRepr, writeDateRepr, writeDateTimeRepr, writeTimeRepr, writeTimeZoneRepr } from './render-datetime.ts';
import { ReprWriter } from './repr-writer.ts';

/** Options for `renderRepr`. */
export interface ReprOptions {
  /** Keep at most this many characters (code points) of the repr; the whole repr when missing. */
  maxLength?: number;
}

/** A rendered repr. */
export interface ReprResult {
  /** The repr, cut to `maxLength` code points, with nothing appended. */
  text: string;
  /** Length of the whole repr in code points, as Python's `len(repr(value))` counts it. */
  length: number;
  /** True when `text` is shorter than the whole repr. */
  truncated: boolean;
}

/**
 * Nesting depth at which rendering stops and writes `...`. CPython's repr raises
 * RecursionError near its recursion limit of 1000, and a hand-made pickle can nest deeper.
 */
const maxDepth = 1000;

type Container = PyList | PyTuple | PySet | PyFrozenSet | PyDict;

/** The repr CPython writes for a container that is found inside itself. */
const cycleMarkers: Record<Container['kind'], string> = {
  list: '[...]',
  tuple: '(...)',
  dict: '{...}',
  set: 'set(...)',
  frozenset: 'frozenset(...)',
};

/**
 * Renders a value as Python's `repr()` shows it. Past `maxLength` it only counts, so a
 * 1,000,000-item list or 4 MiB of bytes costs one pass and no huge string.
 *
 * Sets keep the pickle's element order, which may differ from the order a reading Python
 * process shows (string hashes are seeded per process). An object the decoder does not model
 * renders as `<numpy.ndarray object, not shown>`, except Metaflow's exception wrapper, whose
 * repr is its traceback.
 */
export function renderRepr(value: PyValue, options: ReprOptions = {}): ReprResult {
  const maxLength = options.maxLength ?? Infinity;
  if (!(maxLength >= 0)) {
    throw new RangeError(`maxLength must be a number of characters, 0 or more, but is ${maxLength}`);
  }

  const writer = new ReprWriter(maxLength);
  new ReprRenderer(writer).write(value, 0);
  return { text: writer.text(), length: writer.length, truncated: writer.length > maxLength };
}

class ReprRenderer {
  /** Containers on the path from the root, to spot a container that contains itself. */
  private readonly open = new Set<Container>();
  /** Lengths of containers already counted, so that a shared container is measured once. */
  private readonly measured = new WeakMap<Container, number>();
  private cycleMarkersWritten = 0;

  constructor(private readonly writer: ReprWriter) {}

  write(value: PyValue, depth: number): void {
    const text = this.text;

    switch (value.kind) {
      case 'none':
        return text('None');
      case 'bool':
        return text(value.value ? 'True' : 'False');
      case 'int':
        return text(value.value.toString());
      case 'float':
        return text(formatFloat(value.value, { addDotZero: true }));
      case 'complex':
        return text(complexRepr(value));
      case 'str':
        return writeStrRepr(this.writer, value.value);
      case 'bytes':
        return writeBytesRepr(this.writer, value.value);
      case 'bytearray':
        text('bytearray(');
        writeBytesRepr(this.writer, value.value);
        return text(')');
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset':
      case 'dict':
        return this.writeContainer(value, depth);
      case 'decimal':
        return text(`Decimal('${value.value}')`);
      case 'range':
        return text(`range(${value.start}, ${value.stop}${value.step === 1n ? '' : `, ${value.step}`})`);
      case 'date':
        return writeDateRepr(text, value);
      case 'datetime':
        return writeDateTimeRepr(text, this.nestedWriter(depth), value);
      case 'time':
        return writeTimeRepr(text, this.nestedWriter(depth), value);
      case 'timedelta':
        return text(timeDeltaRepr(value));
      case 'timezone':
        return writeTimeZoneRepr(text, this.nestedWriter(depth), value);
      case 'zoneinfo':
        text('zoneinfo.ZoneInfo(key=');
        writeStrRepr(this.writer, value.key);
        return text(')');
      case 'global':
        return text(`<global ${value.module}.${value.name}, not shown>`);
      case 'object':
        return text(objectRepr(value));
      default:
        return value satisfies never;
    }
  }

  private readonly text = (piece: string): void => this.writer.write(piece);

  private nestedWriter(depth: number): (inner: PyValue) => void {
    return (inner) => this.write(inner, depth + 1);
  }

  private writeContainer(value: Container, depth: number): void {
    if (this.open.has(value)) {
      this.cycleMarkersWritten += 1;
      return this.writer.write(cycleMarkers[value.kind]);
    }
    if (depth >= maxDepth) {
      // NOTE: Python raises RecursionError here instead of showing a repr.
      return this.writer.write('...');
    }

    const counting = this.writer.isFull;
    const known = counting ? this.measured.get(value) : undefined;
    if (known !== undefined) {
      return this.writer.count(known);
    }

    const lengthBefore = this.writer.length;
    const markersBefore = this.cycleMarkersWritten;
    this.open.add(value);
    this.writeContainerBody(value, depth);
    this.open.delete(value);

    // A length that includes a cycle marker depends on the path, so it is not reused.
    if (counting && this.cycleMarkersWritten === markersBefore) {
      this.measured.set(value, this.writer.length - lengthBefore);
    }
  }

  private writeContainerBody(value: Container, depth: number): void {
    switch (value.kind) {
      case 'list':
        return this.writeItems('[', value.items, ']', depth);
      case 'tuple':
        return this.writeItems('(', value.items, value.items.length === 1 ? ',)' : ')', depth);
      case 'set':
        return value.items.length === 0 ? this.writer.write('set()') : this.writeItems('{', value.items, '}', depth);
      case 'frozenset':
        return value.items.length === 0
          ? this.writer.write('frozenset()')
          : this.writeItems('frozenset({', value.items, '})', depth);
      case 'dict':
        return this.writeEntries(value.entries, depth);
      default:
        return value satisfies never;
    }
  }

  private writeItems(open: string, items: PyValue[], close: string, depth: number): void {
    this.writer.write(open);
    for (let index = 0; index < items.length; index += 1) {
      if (index > 0) this.writer.write(', ');
      this.write(items[index] as PyValue, depth + 1);
    }
    this.writer.write(close);
  }

  private writeEntries(entries: [PyValue, PyValue][], depth: number): void {
    this.writer.write('{');
    for (let index = 0; index < entries.length; index += 1) {
      const [key, item] = entries[index] as [PyValue, PyValue];
      if (index > 0) this.writer.write(', ');
      this.write(key, depth + 1);
      this.writer.write(': ');
      this.write(item, depth + 1);
    }
    this.writer.write('}');
  }
}

/** `(1-2j)`, or `2j` when the real part is +0.0, as CPython's `complex_repr` writes it. */
function complexRepr(value: PyComplex): string {
  if (Object.is(value.real, 0)) {
    return `${formatFloat(value.imag, { addDotZero: false })}j`;
  }
  const real = formatFloat(value.real, { addDotZero: false });
  const imag = formatFloat(value.imag, { addDotZero: false, signed: true });
  return `(${real}${imag}j)`;
}

function objectRepr(value: PyObject): string {
  return exceptionWrapperText(value) ?? `<${pythonTypeName(value)} object, not shown>`;
}
