/**
 * Short builders for the `PyValue` trees that the generator pickles, so that an int, a float and
 * a str read as such in the scenario code.
 */
import type { PyValue } from '../../src/metaflow/pickle/index.ts';

/** Python `None`. */
export const pyNone: PyValue = { kind: 'none' };

/** Builds a Python `bool`. */
export function pyBool(value: boolean): PyValue {
  return { kind: 'bool', value };
}

/** Builds a Python `int`. */
export function pyInt(value: number | bigint): PyValue {
  return { kind: 'int', value: BigInt(value) };
}

/** Builds a Python `float`. */
export function pyFloat(value: number): PyValue {
  return { kind: 'float', value };
}

/** Builds a Python `str`. */
export function pyStr(value: string): PyValue {
  return { kind: 'str', value };
}

/** Builds a Python `list`. */
export function pyList(items: readonly PyValue[]): PyValue {
  return { kind: 'list', items: [...items] };
}

/** Builds a Python `tuple`. */
export function pyTuple(items: readonly PyValue[]): PyValue {
  return { kind: 'tuple', items: [...items] };
}

/**
 * Builds a Python `dict` with string keys, in the object's key order. JavaScript moves integer-like
 * keys to the front of an object, so such keys are rejected.
 */
export function pyDict(entries: Readonly<Record<string, PyValue>>): PyValue {
  const keys = Object.keys(entries);
  const integerLike = keys.find((key) => /^(0|[1-9]\d*)$/.test(key));
  if (integerLike !== undefined) {
    throw new RangeError(`pyDict cannot keep the order of the integer-like key ${JSON.stringify(integerLike)}; build the dict entries directly.`);
  }
  return { kind: 'dict', entries: keys.map((key) => [pyStr(key), entries[key] as PyValue]) };
}

/** Builds an instance created as `module.qualname(*args)`, such as Metaflow's `ForeachFrame` named tuple. */
export function pyInstance(module: string, qualname: string, args: readonly PyValue[]): PyValue {
  return { kind: 'object', module, qualname, args: [...args], kwargs: null, state: null, items: [], entries: [] };
}
