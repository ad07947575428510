import { Op } from './opcodes.ts';
import type { OpcodeHandlers, PickleMachine } from './pickle-machine.ts';
import { PickleFault } from './pickle-fault.ts';
import type { PyValue } from './python-value.ts';
import { pythonTypeName } from './python-type-name.ts';

/** Handlers that build and fill tuples, lists, dicts, sets and frozensets. */
export const containerOpcodes: OpcodeHandlers = {
  [Op.EMPTY_TUPLE]: (machine) => machine.push({ kind: 'tuple', items: [] }),
  [Op.TUPLE]: (machine) => machine.push({ kind: 'tuple', items: machine.popMark() }),
  [Op.TUPLE1]: (machine) => machine.push({ kind: 'tuple', items: popMany(machine, 1) }),
  [Op.TUPLE2]: (machine) => machine.push({ kind: 'tuple', items: popMany(machine, 2) }),
  [Op.TUPLE3]: (machine) => machine.push({ kind: 'tuple', items: popMany(machine, 3) }),
  [Op.EMPTY_LIST]: (machine) => machine.push({ kind: 'list', items: [] }),
  [Op.LIST]: (machine) => machine.push({ kind: 'list', items: machine.popMark() }),
  [Op.APPEND]: (machine) => appendItems(machine, [machine.pop()]),
  [Op.APPENDS]: (machine) => appendItems(machine, machine.popMark()),
  [Op.EMPTY_DICT]: (machine) => machine.push({ kind: 'dict', entries: [] }),
  [Op.DICT]: (machine) => machine.push({ kind: 'dict', entries: pairUp(machine.popMark()) }),
  [Op.SETITEM]: (machine) => setItems(machine, pairUp(popMany(machine, 2))),
  [Op.SETITEMS]: (machine) => setItems(machine, pairUp(machine.popMark())),
  [Op.EMPTY_SET]: (machine) => machine.push({ kind: 'set', items: [] }),
  [Op.ADDITEMS]: (machine) => addItems(machine, machine.popMark()),
  [Op.FROZENSET]: (machine) => machine.push({ kind: 'frozenset', items: machine.popMark() }),
};

/** Pops `count` values and returns them in the order they were pushed. */
function popMany(machine: PickleMachine, count: number): PyValue[] {
  const values: PyValue[] = new Array<PyValue>(count);
  for (let index = count - 1; index >= 0; index -= 1) {
    values[index] = machine.pop();
  }
  return values;
}

function pairUp(values: PyValue[]): [PyValue, PyValue][] {
  if (values.length % 2 !== 0) {
    throw new PickleFault(`the ${values.length} values after the MARK do not form key and value pairs`);
  }
  const pairs: [PyValue, PyValue][] = [];
  for (let index = 0; index < values.length; index += 2) {
    pairs.push([values[index] as PyValue, values[index + 1] as PyValue]);
  }
  return pairs;
}

function appendItems(machine: PickleMachine, values: PyValue[]): void {
  const target = machine.peek();
  if (target.kind === 'list') {
    pushAll(target.items, values);
  } else if (target.kind === 'object') {
    pushAll(target.items, values);
  } else {
    throw new PickleFault(`items are appended to a ${pythonTypeName(target)}, which has no append method`);
  }
}

// NOTE: a repeated key is kept twice, where Python would keep the last value at the first
// key's position. Python never writes a repeated key, so only a hand-made pickle shows this.
function setItems(machine: PickleMachine, pairs: [PyValue, PyValue][]): void {
  const target = machine.peek();
  if (target.kind === 'dict') {
    pushAll(target.entries, pairs);
  } else if (target.kind === 'object') {
    pushAll(target.entries, pairs);
  } else {
    throw new PickleFault(`items are set on a ${pythonTypeName(target)}, which does not support item assignment`);
  }
}

function addItems(machine: PickleMachine, values: PyValue[]): void {
  const target = machine.peek();
  if (target.kind === 'set') {
    pushAll(target.items, values);
  } else if (target.kind === 'object') {
    pushAll(target.items, values);
  } else {
    throw new PickleFault(`items are added to a ${pythonTypeName(target)}, which has no add method`);
  }
}

/** Appends in place without spreading, because APPENDS can carry more arguments than a call allows. */
function pushAll<T>(target: T[], values: readonly T[]): void {
  for (const value of values) {
    target.push(value);
  }
}
