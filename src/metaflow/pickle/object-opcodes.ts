import { callGlobal } from './call-global.ts';
import { Op } from './opcodes.ts';
import type { OpcodeHandlers, PickleMachine } from './pickle-machine.ts';
import { PickleFault } from './pickle-fault.ts';
import { opaqueObject } from './python-object.ts';
import type { PyGlobal, PyValue } from './python-value.ts';
import { pythonTypeName } from './python-type-name.ts';
import { decodeUtf8 } from './text-codecs.ts';

/**
 * Handlers that name classes and functions and would call them. Safety rests here: GLOBAL and
 * STACK_GLOBAL only record a name, and REDUCE, NEWOBJ, INST and OBJ hand that name and the
 * arguments to `callGlobal`, which builds plain data. No module is ever imported.
 */
export const objectOpcodes: OpcodeHandlers = {
  [Op.GLOBAL]: (machine) => machine.push(readGlobal(machine)),
  [Op.STACK_GLOBAL]: stackGlobal,
  [Op.REDUCE]: (machine) => {
    const args = argumentTuple(machine.pop(), 'REDUCE');
    machine.push(call(machine.pop(), args));
  },
  [Op.NEWOBJ]: (machine) => {
    const args = argumentTuple(machine.pop(), 'NEWOBJ');
    machine.push(call(machine.pop(), args));
  },
  [Op.NEWOBJ_EX]: newObjectWithKeywords,
  [Op.INST]: (machine) => {
    const callee = readGlobal(machine);
    machine.push(call(callee, machine.popMark()));
  },
  [Op.OBJ]: (machine) => {
    const [callee, ...args] = machine.popMark();
    if (callee === undefined) {
      throw new PickleFault('OBJ needs a class after the MARK, but there is nothing');
    }
    machine.push(call(callee, args));
  },
  [Op.BUILD]: build,
  [Op.PERSID]: rejectPersistentId,
  [Op.BINPERSID]: rejectPersistentId,
  [Op.EXT1]: (machine) => rejectExtension(machine.reader.byte()),
  [Op.EXT2]: (machine) => rejectExtension(machine.reader.uint16()),
  [Op.EXT4]: (machine) => rejectExtension(machine.reader.int32()),
};

/** Python 2 names that Python 3 maps to its own when it reads protocols 0 to 2 (`fix_imports`). */
const python2Modules: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };
const python2Builtins: Record<string, string> = { xrange: 'range', unicode: 'str', long: 'int', basestring: 'str' };

function readGlobal(machine: PickleMachine): PyGlobal {
  const module = decodeUtf8(machine.reader.line());
  const name = decodeUtf8(machine.reader.line());
  if (machine.protocol < 3 && module in python2Modules) {
    const mapped = python2Modules[module] as string;
    return { kind: 'global', module: mapped, name: mapped === 'builtins' ? (python2Builtins[name] ?? name) : name };
  }
  return { kind: 'global', module, name };
}

function stackGlobal(machine: PickleMachine): void {
  const name = machine.pop();
  const module = machine.pop();
  if (module.kind !== 'str' || name.kind !== 'str') {
    throw new PickleFault(`STACK_GLOBAL needs two str values, but finds ${pythonTypeName(module)} and ${pythonTypeName(name)}`);
  }
  machine.push({ kind: 'global', module: module.value, name: name.value });
}

function newObjectWithKeywords(machine: PickleMachine): void {
  const kwargs = machine.pop();
  const args = argumentTuple(machine.pop(), 'NEWOBJ_EX');
  const instance = call(machine.pop(), args);
  if (instance.kind === 'object' && !(kwargs.kind === 'dict' && kwargs.entries.length === 0)) {
    instance.kwargs = kwargs;
  }
  machine.push(instance);
}

function argumentTuple(value: PyValue, opcode: string): PyValue[] {
  if (value.kind !== 'tuple' && value.kind !== 'list') {
    throw new PickleFault(`${opcode} needs an argument tuple, but finds a ${pythonTypeName(value)}`);
  }
  return value.items;
}

/** Applies a callable from the stack. Only names can be called: data such as an int cannot. */
function call(callee: PyValue, args: PyValue[]): PyValue {
  if (callee.kind === 'global') {
    return callGlobal(callee, args);
  }
  if (callee.kind === 'object') {
    // The result of an unknown call, called again (for example a bound method from getattr).
    return opaqueObject(callee.module, callee.qualname, args);
  }
  throw new PickleFault(`the pickle calls a ${pythonTypeName(callee)}, which is not callable`);
}

/** BUILD passes state to `__setstate__`, so the opaque object keeps it for the caller to read. */
function build(machine: PickleMachine): void {
  const state = machine.pop();
  const target = machine.peek();
  if (target.kind !== 'object') {
    throw new PickleFault(`BUILD sets state on a ${pythonTypeName(target)}, which takes none`);
  }
  target.state = state;
}

function rejectPersistentId(): never {
  throw new PickleFault('the pickle uses a persistent ID, which only the program that wrote it can resolve');
}

function rejectExtension(code: number): never {
  throw new PickleFault(`the pickle uses extension code ${code}, which is not in Python's default registry`);
}
