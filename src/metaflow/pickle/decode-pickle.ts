import { ByteReader } from './byte-reader.ts';
import { containerOpcodes } from './container-opcodes.ts';
import { controlOpcodes } from './control-opcodes.ts';
import { MetaflowError } from '../errors.ts';
import { objectOpcodes } from './object-opcodes.ts';
import { opcodeName } from './opcodes.ts';
import { PickleFault } from './pickle-fault.ts';
import { PickleMachine, type OpcodeHandler } from './pickle-machine.ts';
import type { PyValue } from './python-value.ts';
import { scalarOpcodes } from './scalar-opcodes.ts';
import { textOpcodes } from './text-opcodes.ts';

/** Handlers indexed by opcode byte; a hole is an unknown opcode. */
const handlers: (OpcodeHandler | undefined)[] = new Array<OpcodeHandler | undefined>(256);
for (const group of [controlOpcodes, scalarOpcodes, textOpcodes, containerOpcodes, objectOpcodes]) {
  for (const [code, handler] of Object.entries(group)) {
    handlers[Number(code)] = handler;
  }
}

/**
 * Decodes a pickle (protocols 0 to 5) into a `PyValue` tree without running any Python: class
 * and function references become names, and calls to them become plain data (see
 * `callGlobal`). Bytes after the STOP opcode are ignored, as `pickle.loads` ignores them.
 *
 * @throws MetaflowError with code `corrupt_data` when the data is truncated or not a valid
 *   pickle; nothing else is thrown.
 */
export function decodePickle(data: Uint8Array): PyValue {
  const reader = new ByteReader(data);
  const machine = new PickleMachine(reader);

  while (machine.result === undefined) {
    const offset = reader.position;
    if (reader.remaining === 0) {
      throw corruptData(
        offset === 0 ? 'The pickle is empty.' : `The pickle is truncated: it ends at byte ${offset} before its STOP opcode.`,
      );
    }

    const opcode = reader.byte();
    const handler = handlers[opcode];
    if (handler === undefined) {
      throw corruptData(`Invalid pickle: byte ${offset} is ${opcodeName(opcode)}, which is not a pickle opcode.`);
    }
    runOpcode(handler, machine, opcode, offset);
  }

  return machine.result;
}

function runOpcode(handler: OpcodeHandler, machine: PickleMachine, opcode: number, offset: number): void {
  try {
    handler(machine);
  } catch (error) {
    const where = `opcode ${opcodeName(opcode)} at byte ${offset}`;
    if (error instanceof PickleFault) {
      throw corruptData(`Invalid pickle at ${where}: ${error.message}.`, error);
    }
    // A bug or a resource limit in the decoder; still reported as unreadable data, with the cause kept.
    const message = error instanceof Error ? error.message : String(error);
    throw corruptData(`Cannot decode the pickle at ${where}: ${message}.`, error);
  }
}

function corruptData(message: string, cause?: unknown): MetaflowError {
  return new MetaflowError('corrupt_data', message, cause === undefined ? undefined : { cause });
}
