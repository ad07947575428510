import { Op } from './opcodes.ts';
import type { OpcodeHandlers } from './pickle-machine.ts';
import { PickleFault } from './pickle-fault.ts';
import { pyNone, type PyValue } from './python-value.ts';
import { decodeLatin1 } from './text-codecs.ts';

/** Handlers for None, bools, ints and floats. */
export const scalarOpcodes: OpcodeHandlers = {
  [Op.NONE]: (machine) => machine.push(pyNone),
  [Op.NEWTRUE]: (machine) => machine.push({ kind: 'bool', value: true }),
  [Op.NEWFALSE]: (machine) => machine.push({ kind: 'bool', value: false }),
  [Op.BININT]: (machine) => machine.push(pyInt(BigInt(machine.reader.int32()))),
  [Op.BININT1]: (machine) => machine.push(pyInt(BigInt(machine.reader.byte()))),
  [Op.BININT2]: (machine) => machine.push(pyInt(BigInt(machine.reader.uint16()))),
  [Op.LONG1]: (machine) => machine.push(pyInt(decodeLong(machine.reader.bytes(machine.reader.byte())))),
  [Op.LONG4]: (machine) => machine.push(pyInt(decodeLong(machine.reader.bytes(machine.reader.int32())))),
  [Op.INT]: (machine) => machine.push(parseIntLine(decodeLatin1(machine.reader.line()))),
  [Op.LONG]: (machine) => machine.push(pyInt(parseDecimal(decodeLatin1(machine.reader.line()).replace(/L$/, '')))),
  [Op.BINFLOAT]: (machine) => machine.push({ kind: 'float', value: machine.reader.float64() }),
  [Op.FLOAT]: (machine) => machine.push({ kind: 'float', value: parseFloatLine(decodeLatin1(machine.reader.line())) }),
};

function pyInt(value: bigint): PyValue {
  return { kind: 'int', value };
}

/** Decodes a little-endian two's complement integer of any length (LONG1, LONG4). */
export function decodeLong(bytes: Uint8Array): bigint {
  if (bytes.length === 0) {
    return 0n;
  }

  let hex = '';
  for (let index = bytes.length - 1; index >= 0; index -= 1) {
    hex += (bytes[index] as number).toString(16).padStart(2, '0');
  }
  const unsigned = BigInt(`0x${hex}`);
  const negative = ((bytes[bytes.length - 1] as number) & 0x80) !== 0;
  return negative ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

/** Parses the INT opcode's text, where protocol 0 writes `00` and `01` for False and True. */
function parseIntLine(text: string): PyValue {
  if (text === '00') return { kind: 'bool', value: false };
  if (text === '01') return { kind: 'bool', value: true };
  return pyInt(parseDecimal(text));
}

function parseDecimal(text: string): bigint {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    throw new PickleFault(`"${text}" is not a decimal integer`);
  }
  return BigInt(trimmed);
}

/** Parses the FLOAT opcode's text, which protocol 0 writes with `repr(float)`. */
function parseFloatLine(text: string): number {
  const trimmed = text.trim().toLowerCase();
  const special: Record<string, number> = { nan: NaN, '+nan': NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };
  if (trimmed in special) {
    return special[trimmed] as number;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(trimmed)) {
    throw new PickleFault(`"${text}" is not a floating-point number`);
  }
  return Number(trimmed);
}
