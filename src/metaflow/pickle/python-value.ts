/**
 * A Python value decoded from a pickle, as a tagged union tree. Each node keeps what a plain
 * JavaScript value would lose: float against int, exact big ints, `-0.0`, str against bytes,
 * list against tuple, set against frozenset, and dicts whose keys are not strings.
 *
 * Containers are arrays because the pickle machine fills them after creating them (APPENDS,
 * SETITEMS, ADDITEMS), and a pickle can make them refer to themselves, so a tree may contain
 * cycles.
 */
export type PyValue =
  | PyNone
  | PyBool
  | PyInt
  | PyFloat
  | PyComplex
  | PyStr
  | PyBytes
  | PyByteArray
  | PyList
  | PyTuple
  | PySet
  | PyFrozenSet
  | PyDict
  | PyDecimal
  | PyRange
  | PyDate
  | PyTime
  | PyDateTime
  | PyTimeDelta
  | PyTimeZone
  | PyZoneInfo
  | PyGlobal
  | PyObject;

/** Python's `None`. */
export interface PyNone {
  kind: 'none';
}

/** `True` or `False`. */
export interface PyBool {
  kind: 'bool';
  value: boolean;
}

/** An `int` of any size. */
export interface PyInt {
  kind: 'int';
  value: bigint;
}

/** A `float` (an IEEE 754 double, as in CPython), including `-0.0`, `nan` and `inf`. */
export interface PyFloat {
  kind: 'float';
  value: number;
}

/** A `complex` number. */
export interface PyComplex {
  kind: 'complex';
  real: number;
  imag: number;
}

/** A `str`. Lone surrogates that Python allows in a str are kept as lone UTF-16 code units. */
export interface PyStr {
  kind: 'str';
  value: string;
}

/** An immutable `bytes` object. */
export interface PyBytes {
  kind: 'bytes';
  value: Uint8Array;
}

/** A mutable `bytearray`. */
export interface PyByteArray {
  kind: 'bytearray';
  value: Uint8Array;
}

/** A `list`. */
export interface PyList {
  kind: 'list';
  items: PyValue[];
}

/** A `tuple`. */
export interface PyTuple {
  kind: 'tuple';
  items: PyValue[];
}

/** A `set`, in the order the pickle lists its elements (the writing process's order). */
export interface PySet {
  kind: 'set';
  items: PyValue[];
}

/** A `frozenset`, in the order the pickle lists its elements. */
export interface PyFrozenSet {
  kind: 'frozenset';
  items: PyValue[];
}

/** A `dict`, as key and value pairs in insertion order. */
export interface PyDict {
  kind: 'dict';
  entries: [PyValue, PyValue][];
}

/** A `decimal.Decimal`, kept as the string that its pickle stores (`str(value)`). */
export interface PyDecimal {
  kind: 'decimal';
  value: string;
}

/** A `range`. */
export interface PyRange {
  kind: 'range';
  start: bigint;
  stop: bigint;
  step: bigint;
}

/** A `datetime.date`. */
export interface PyDate {
  kind: 'date';
  year: number;
  month: number;
  day: number;
}

/** A `datetime.time`. Its `tzinfo` is `null` for a naive time. */
export interface PyTime {
  kind: 'time';
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  fold: 0 | 1;
  tzinfo: PyValue | null;
}

/** A `datetime.datetime`. Its `tzinfo` is `null` for a naive datetime. */
export interface PyDateTime {
  kind: 'datetime';
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  fold: 0 | 1;
  tzinfo: PyValue | null;
}

/** A `datetime.timedelta`, normalized as Python stores it (only `days` can be negative). */
export interface PyTimeDelta {
  kind: 'timedelta';
  days: number;
  seconds: number;
  microseconds: number;
}

/** A fixed-offset `datetime.timezone`. Its `name` is `null` when none was given. */
export interface PyTimeZone {
  kind: 'timezone';
  offset: PyTimeDelta;
  name: string | null;
}

/** A `zoneinfo.ZoneInfo` time zone, such as `Europe/Paris`. */
export interface PyZoneInfo {
  kind: 'zoneinfo';
  key: string;
}

/**
 * A reference to a module-level name (a class or a function) that the pickle stores without
 * calling it. The decoder never imports the module, so it cannot tell a class from a function.
 */
export interface PyGlobal {
  kind: 'global';
  module: string;
  /** The qualified name inside the module, such as `ZoneInfo._unpickle`. */
  name: string;
}

/**
 * An instance of a class the decoder does not model (numpy arrays, pandas frames, the flow's
 * own classes). Nothing is constructed: the node keeps the class name and what the pickle
 * passed to it, so that a caller can show the type or pick out a field.
 */
export interface PyObject {
  kind: 'object';
  /** Module of the class, such as `numpy` or `__main__`. */
  module: string;
  /** Qualified class name inside the module, such as `ndarray` or `ForeachFrame`. */
  qualname: string;
  /** Positional arguments of the call that creates the object. */
  args: PyValue[];
  /** Keyword arguments of the call (NEWOBJ_EX only), or `null` when there are none. */
  kwargs: PyValue | null;
  /** The argument of BUILD (what `__setstate__` would get), or `null` when there was no BUILD. */
  state: PyValue | null;
  /** Items appended to the object, as for a `list` subclass. */
  items: PyValue[];
  /** Key and value pairs set on the object, as for a `dict` subclass or `OrderedDict`. */
  entries: [PyValue, PyValue][];
}

/** Python's `None`, shared because it carries no data. */
export const pyNone: PyNone = Object.freeze({ kind: 'none' });
