import type { PyObject, PyValue } from './python-value.ts';

/** Creates the node for an instance of a class the decoder does not model. */
export function opaqueObject(module: string, qualname: string, args: PyValue[]): PyObject {
  return { kind: 'object', module, qualname, args, kwargs: null, state: null, items: [], entries: [] };
}

/** Returns the value stored under a str key of a dict node, or `undefined`. */
export function dictGet(dict: PyValue | null, key: string): PyValue | undefined {
  if (dict?.kind !== 'dict') {
    return undefined;
  }
  const entry = dict.entries.find(([candidate]) => candidate.kind === 'str' && candidate.value === key);
  return entry?.[1];
}
