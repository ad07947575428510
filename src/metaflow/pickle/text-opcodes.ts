import { Op } from './opcodes.ts';
import type { OpcodeHandlers, PickleMachine } from './pickle-machine.ts';
import { PickleFault } from './pickle-fault.ts';
import { decodeAscii, decodeQuotedBytes, decodeRawUnicodeEscape, decodeUtf8 } from './text-codecs.ts';

/** Handlers for str, bytes and bytearray, including the Python 2 byte strings of protocols 0 to 2. */
export const textOpcodes: OpcodeHandlers = {
  [Op.SHORT_BINUNICODE]: (machine) => pushStr(machine, decodeUtf8(machine.reader.bytes(machine.reader.byte()))),
  [Op.BINUNICODE]: (machine) => pushStr(machine, decodeUtf8(machine.reader.bytes(machine.reader.uint32()))),
  [Op.BINUNICODE8]: (machine) => pushStr(machine, decodeUtf8(machine.reader.bytes(machine.reader.uint64()))),
  [Op.UNICODE]: (machine) => pushStr(machine, decodeRawUnicodeEscape(machine.reader.line())),
  [Op.STRING]: (machine) => pushStr(machine, decodeAscii(decodeQuotedBytes(machine.reader.line()))),
  [Op.BINSTRING]: (machine) => pushStr(machine, decodeAscii(machine.reader.bytes(machine.reader.int32()))),
  [Op.SHORT_BINSTRING]: (machine) => pushStr(machine, decodeAscii(machine.reader.bytes(machine.reader.byte()))),
  [Op.SHORT_BINBYTES]: (machine) => pushBytes(machine, 'bytes', machine.reader.bytes(machine.reader.byte())),
  [Op.BINBYTES]: (machine) => pushBytes(machine, 'bytes', machine.reader.bytes(machine.reader.uint32())),
  [Op.BINBYTES8]: (machine) => pushBytes(machine, 'bytes', machine.reader.bytes(machine.reader.uint64())),
  [Op.BYTEARRAY8]: (machine) => pushBytes(machine, 'bytearray', machine.reader.bytes(machine.reader.uint64())),
  [Op.READONLY_BUFFER]: (machine) => void machine.peek(),
  [Op.NEXT_BUFFER]: () => {
    throw new PickleFault('the pickle refers to an out-of-band buffer, which only a caller of pickle.loads can supply');
  },
};

function pushStr(machine: PickleMachine, value: string): void {
  machine.push({ kind: 'str', value });
}

function pushBytes(machine: PickleMachine, kind: 'bytes' | 'bytearray', view: Uint8Array): void {
  // A copy, so that the node does not keep the whole pickle buffer alive.
  machine.push({ kind, value: view.slice() });
}
