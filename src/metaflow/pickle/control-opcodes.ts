import { highestProtocol, Op } from './opcodes.ts';
import type { OpcodeHandlers, PickleMachine } from './pickle-machine.ts';
import { PickleFault } from './pickle-fault.ts';
import { decodeLatin1 } from './text-codecs.ts';

/** Handlers for the stack, marks, memo, protocol header, frames and STOP. */
export const controlOpcodes: OpcodeHandlers = {
  [Op.PROTO]: (machine) => {
    const protocol = machine.reader.byte();
    if (protocol > highestProtocol) {
      throw new PickleFault(`pickle protocol ${protocol} is newer than the newest known one, ${highestProtocol}`);
    }
    machine.protocol = protocol;
  },
  // Frames only group opcodes for buffered reading; the whole pickle is in memory already.
  [Op.FRAME]: (machine) => void machine.reader.uint64(),
  [Op.STOP]: (machine) => {
    machine.result = machine.pop();
  },
  [Op.MARK]: (machine) => machine.mark(),
  [Op.POP]: pop,
  [Op.POP_MARK]: (machine) => void machine.popMark(),
  [Op.DUP]: (machine) => machine.push(machine.peek()),
  [Op.MEMOIZE]: (machine) => machine.memoize(),
  [Op.PUT]: (machine) => machine.memoPut(readIndexLine(machine)),
  [Op.BINPUT]: (machine) => machine.memoPut(machine.reader.byte()),
  [Op.LONG_BINPUT]: (machine) => machine.memoPut(machine.reader.uint32()),
  [Op.GET]: (machine) => machine.memoGet(readIndexLine(machine)),
  [Op.BINGET]: (machine) => machine.memoGet(machine.reader.byte()),
  [Op.LONG_BINGET]: (machine) => machine.memoGet(machine.reader.uint32()),
};

/** POP drops the top value; on an empty stack it drops the last mark instead, as CPython does. */
function pop(machine: PickleMachine): void {
  if (machine.stackSize > 0) {
    machine.pop();
  } else {
    machine.popMark();
  }
}

function readIndexLine(machine: PickleMachine): number {
  const text = decodeLatin1(machine.reader.line());
  if (!/^\d+$/.test(text)) {
    throw new PickleFault(`the memo index "${text}" is not a non-negative integer`);
  }
  return Number(text);
}
