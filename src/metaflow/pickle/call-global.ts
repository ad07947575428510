import { makeDate, makeDateTime, makeTime, makeTimeDelta, makeTimeZone } from './datetime-values.ts';
import { opaqueObject } from './python-object.ts';
import type { PyGlobal, PyValue } from './python-value.ts';
import { encodeLatin1 } from './text-codecs.ts';

type Builder = (args: PyValue[]) => PyValue | undefined;

/**
 * The classes and functions whose result the decoder builds itself, by `module.name`. Nothing
 * is imported or run: each builder reads the arguments as the real callable would. A builder
 * returns `undefined` for arguments Python would not write, and the call then stays opaque.
 */
const builders = new Map<string, Builder>([
  ['builtins.set', (args) => fromIterable('set', args)],
  ['builtins.frozenset', (args) => fromIterable('frozenset', args)],
  ['builtins.bytearray', makeByteArray],
  ['builtins.bytes', (args) => (args.length === 0 ? { kind: 'bytes', value: new Uint8Array() } : undefined)],
  ['_codecs.encode', encodeWithCodec],
  ['builtins.complex', makeComplex],
  ['builtins.range', makeRange],
  ['decimal.Decimal', makeDecimal],
  ['_pydecimal.Decimal', makeDecimal],
  ['datetime.date', makeDate],
  ['datetime.datetime', makeDateTime],
  ['datetime.time', makeTime],
  ['datetime.timedelta', makeTimeDelta],
  ['datetime.timezone', makeTimeZone],
  ['zoneinfo.ZoneInfo._unpickle', makeZoneInfo],
]);

/**
 * Functions that rebuild an instance of the class in their first argument. The node is named
 * after that class, so that a numpy array reads `numpy.ndarray`, not `_reconstruct`.
 */
const reconstructors = new Set([
  'copyreg._reconstructor',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
]);

/**
 * Returns what calling `callee(*args)` gives (REDUCE, NEWOBJ, INST, OBJ) without calling it:
 * a modelled value for the types in `builders`, else an opaque object named after the class.
 */
export function callGlobal(callee: PyGlobal, args: PyValue[]): PyValue {
  const name = `${callee.module}.${callee.name}`;
  const built = builders.get(name)?.(args);
  if (built !== undefined) {
    return built;
  }

  const [first, second] = args;
  if (name === 'builtins.getattr' && first?.kind === 'global' && second?.kind === 'str' && args.length === 2) {
    // How a pickle names a class's method (ZoneInfo pickles call `getattr(ZoneInfo, '_unpickle')`).
    return { kind: 'global', module: first.module, name: `${first.name}.${second.value}` };
  }
  if (reconstructors.has(name) && first?.kind === 'global') {
    return opaqueObject(first.module, first.name, args.slice(1));
  }
  // NOTE: a callable that is a factory function, not a class, names the object after the
  // function (numpy scalars show as `numpy.core.multiarray.scalar`, not `numpy.float64`).
  return opaqueObject(callee.module, callee.name, args);
}

function fromIterable(kind: 'set' | 'frozenset', args: PyValue[]): PyValue | undefined {
  const [iterable] = args;
  if (args.length === 0) {
    return { kind, items: [] };
  }
  if (args.length === 1 && (iterable?.kind === 'list' || iterable?.kind === 'tuple')) {
    return { kind, items: [...iterable.items] };
  }
  return undefined;
}

/** bytearray() with no argument, with bytes (protocol 3 and 4), or with a str and its encoding (protocol 0 to 2). */
function makeByteArray(args: PyValue[]): PyValue | undefined {
  const [source, encoding] = args;
  if (source === undefined) {
    return { kind: 'bytearray', value: new Uint8Array() };
  }
  if (source.kind === 'bytes' && args.length === 1) {
    return { kind: 'bytearray', value: source.value };
  }
  const encoded = encodeWithCodec([source, encoding ?? { kind: 'none' }]);
  return encoded?.kind === 'bytes' ? { kind: 'bytearray', value: encoded.value } : undefined;
}

/** `_codecs.encode(text, 'latin1')`, which protocols 0 to 2 use to store bytes; other codecs stay opaque. */
function encodeWithCodec(args: PyValue[]): PyValue | undefined {
  const [text, encoding] = args;
  const latin1Names = ['latin1', 'latin-1', 'iso-8859-1', 'iso8859-1'];
  if (text?.kind !== 'str' || encoding?.kind !== 'str' || !latin1Names.includes(encoding.value.toLowerCase())) {
    return undefined;
  }
  const bytes = encodeLatin1(text.value);
  return bytes === undefined ? undefined : { kind: 'bytes', value: bytes };
}

function makeComplex(args: PyValue[]): PyValue | undefined {
  const parts = args.map(realNumber);
  if (args.length > 2 || parts.some((part) => part === undefined)) {
    return undefined;
  }
  return { kind: 'complex', real: parts[0] ?? 0, imag: parts[1] ?? 0 };
}

function realNumber(value: PyValue): number | undefined {
  if (value.kind === 'float') return value.value;
  if (value.kind === 'int') return Number(value.value);
  if (value.kind === 'bool') return value.value ? 1 : 0;
  return undefined;
}

function makeRange(args: PyValue[]): PyValue | undefined {
  const bounds = args.map((arg) => (arg.kind === 'int' ? arg.value : undefined));
  if (args.length !== 3 || bounds.some((bound) => bound === undefined) || bounds[2] === 0n) {
    return undefined;
  }
  const [start, stop, step] = bounds as [bigint, bigint, bigint];
  return { kind: 'range', start, stop, step };
}

/** Decimal pickles store `str(value)`, which is also what Decimal's repr quotes. */
function makeDecimal(args: PyValue[]): PyValue | undefined {
  const [text] = args;
  return args.length === 1 && text?.kind === 'str' ? { kind: 'decimal', value: text.value } : undefined;
}

/** `ZoneInfo._unpickle(key, from_cache)`, which `ZoneInfo.__reduce__` returns. */
function makeZoneInfo(args: PyValue[]): PyValue | undefined {
  const [key] = args;
  return key?.kind === 'str' ? { kind: 'zoneinfo', key: key.value } : undefined;
}
