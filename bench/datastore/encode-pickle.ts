/**
 * A pickle writer for the few Python types that a synthetic Metaflow datastore needs. It
 * writes protocol 4 as CPython 3.11's `pickle.dumps(value, protocol=4)` does, which is what the
 * blobs of Metaflow 2.19.38 contain: the same opcodes, MEMOIZE after every str, list, dict,
 * tuple and object, batches of 1,000 items per APPENDS or SETITEMS, and 64 KiB frames. Its
 * tests compare it byte for byte with the fixture datastore's pickles.
 *
 * NOTE: CPython memoizes by object identity, and this writer memoizes equal strings once. The
 * two agree for the interned names Metaflow's own values are made of, but a Python value that
 * contains two equal strings built separately pickles with a second copy instead of a BINGET.
 */
import type { PyValue } from '../../src/metaflow/pickle/index.ts';

/** Encodes `value` as a protocol 4 pickle. */
export function encodePickle(value: PyValue): Buffer {
  const writer = new PickleWriter();
  writer.writeHeader();
  writer.save(value);
  writer.finish();
  return writer.toBuffer();
}

const opcode = {
  proto: 0x80,
  frame: 0x95,
  stop: 0x2e,
  none: 0x4e,
  newTrue: 0x88,
  newFalse: 0x89,
  binInt1: 0x4b,
  binInt2: 0x4d,
  binInt: 0x4a,
  long1: 0x8a,
  long4: 0x8b,
  binFloat: 0x47,
  shortBinUnicode: 0x8c,
  binUnicode: 0x58,
  emptyList: 0x5d,
  append: 0x61,
  appends: 0x65,
  emptyDict: 0x7d,
  setItem: 0x73,
  setItems: 0x75,
  emptyTuple: 0x29,
  tuple1: 0x85,
  tuple2: 0x86,
  tuple3: 0x87,
  tuple: 0x74,
  mark: 0x28,
  memoize: 0x94,
  binGet: 0x68,
  longBinGet: 0x6a,
  stackGlobal: 0x93,
  newObj: 0x81,
  build: 0x62,
} as const;

/** CPython's `_FRAME_SIZE_TARGET`: a frame is closed at the first opcode boundary past it. */
const frameSizeTarget = 64 * 1024;
/** CPython's `FRAME_SIZE_MIN`: a shorter frame is written without its FRAME header. */
const frameSizeMin = 4;
const frameHeaderSize = 9;
/** CPython's `BATCHSIZE` for APPENDS and SETITEMS. */
const batchSize = 1_000;

/** Output buffer with CPython's framing: `frameStart` is where the open frame's header goes. */
class PickleWriter {
  #chunks: Buffer[] = [];
  /** Bytes written since the last flush into `chunks`. */
  #current: number[] = [];
  /** Index in `chunks` of the open frame's header, or -1 when no frame is open. */
  #frameStart = -1;
  /** Bytes in the open frame so far. */
  #frameLength = 0;
  #framing = false;
  #memoCount = 0;
  /** Memo indexes of strings by value, and of containers and objects by identity. */
  readonly #stringMemo = new Map<string, number>();
  readonly #objectMemo = new Map<PyValue, number>();
  /** Memo indexes of classes by `module.qualname`. */
  readonly #globalMemo = new Map<string, number>();

  writeHeader(): void {
    this.#chunks.push(Buffer.from([opcode.proto, 4]));
    this.#framing = true;
  }

  finish(): void {
    this.#write([opcode.stop]);
    this.#commitFrame();
  }

  toBuffer(): Buffer {
    this.#flushCurrent();
    return Buffer.concat(this.#chunks);
  }

  save(value: PyValue): void {
    this.#saveValue(value);
    this.#opcodeBoundary();
  }

  #saveValue(value: PyValue): void {
    switch (value.kind) {
      case 'none':
        return this.#write([opcode.none]);
      case 'bool':
        return this.#write([value.value ? opcode.newTrue : opcode.newFalse]);
      case 'int':
        return this.#saveInt(value.value);
      case 'float':
        return this.#saveFloat(value.value);
      case 'str':
        return this.#saveStr(value.value);
      case 'list':
        return this.#saveList(value, value.items);
      case 'tuple':
        return this.#saveTuple(value, value.items);
      case 'dict':
        return this.#saveDict(value, value.entries);
      case 'object':
        return this.#saveObject(value);
      default:
        throw new TypeError(`encodePickle cannot write a Python ${value.kind}; it writes None, bool, int, float, str, list, tuple, dict and plain objects.`);
    }
  }

  #saveInt(value: bigint): void {
    if (value >= 0n && value < 0x100n) {
      return this.#write([opcode.binInt1, Number(value)]);
    }
    if (value >= 0n && value < 0x10000n) {
      return this.#write([opcode.binInt2, Number(value & 0xffn), Number(value >> 8n)]);
    }
    if (value >= -0x80000000n && value <= 0x7fffffffn) {
      const bytes = Buffer.alloc(4);
      bytes.writeInt32LE(Number(value));
      return this.#write([opcode.binInt, ...bytes]);
    }
    const bytes = encodeLong(value);
    if (bytes.length < 0x100) {
      return this.#write([opcode.long1, bytes.length, ...bytes]);
    }
    const size = Buffer.alloc(4);
    size.writeUInt32LE(bytes.length);
    this.#write([opcode.long4, ...size, ...bytes]);
  }

  #saveFloat(value: number): void {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    this.#write([opcode.binFloat, ...bytes]);
  }

  #saveStr(value: string): void {
    if (this.#writeMemoGet(this.#stringMemo.get(value))) {
      return;
    }
    const bytes = Buffer.from(value, 'utf8');
    const header = bytes.length < 0x100 ? [opcode.shortBinUnicode, bytes.length] : [opcode.binUnicode, ...uint32(bytes.length)];
    this.#writeBytes(header, bytes);
    this.#stringMemo.set(value, this.#memoPut());
  }

  #saveList(value: PyValue, items: readonly PyValue[]): void {
    if (this.#writeMemoGet(this.#objectMemo.get(value))) {
      return;
    }
    this.#write([opcode.emptyList]);
    this.#objectMemo.set(value, this.#memoPut());
    this.#saveBatches(items.length, (index) => this.save(items[index] as PyValue), opcode.append, opcode.appends);
  }

  #saveDict(value: PyValue, entries: readonly [PyValue, PyValue][]): void {
    if (this.#writeMemoGet(this.#objectMemo.get(value))) {
      return;
    }
    this.#write([opcode.emptyDict]);
    this.#objectMemo.set(value, this.#memoPut());
    const saveEntry = (index: number): void => {
      const [key, item] = entries[index] as [PyValue, PyValue];
      this.save(key);
      this.save(item);
    };
    this.#saveBatches(entries.length, saveEntry, opcode.setItem, opcode.setItems);
  }

  /** Writes a container's items as CPython does: a lone item with APPEND or SETITEM, else MARK batches. */
  #saveBatches(count: number, saveItem: (index: number) => void, single: number, batch: number): void {
    if (count === 1) {
      saveItem(0);
      this.#write([single]);
      return;
    }
    for (let start = 0; start < count; start += batchSize) {
      this.#write([opcode.mark]);
      for (let index = start; index < Math.min(count, start + batchSize); index += 1) {
        saveItem(index);
      }
      this.#write([batch]);
    }
  }

  #saveTuple(value: PyValue, items: readonly PyValue[]): void {
    if (items.length === 0) {
      return this.#write([opcode.emptyTuple]);
    }
    if (this.#writeMemoGet(this.#objectMemo.get(value))) {
      return;
    }
    const sized = [opcode.tuple1, opcode.tuple2, opcode.tuple3][items.length - 1];
    if (sized === undefined) {
      this.#write([opcode.mark]);
    }
    for (const item of items) {
      this.save(item);
    }
    this.#write([sized ?? opcode.tuple]);
    this.#objectMemo.set(value, this.#memoPut());
  }

  /** Writes `cls(*args)` with STACK_GLOBAL and NEWOBJ, then BUILD when the object has a state. */
  #saveObject(value: Extract<PyValue, { kind: 'object' }>): void {
    if (this.#writeMemoGet(this.#objectMemo.get(value))) {
      return;
    }
    if (value.kwargs !== null || value.items.length > 0 || value.entries.length > 0) {
      throw new TypeError(`encodePickle writes objects from positional arguments and a state only, not ${value.module}.${value.qualname} with keyword arguments or items.`);
    }
    this.#saveGlobal(value.module, value.qualname);
    this.save({ kind: 'tuple', items: value.args });
    this.#write([opcode.newObj]);
    this.#objectMemo.set(value, this.#memoPut());
    if (value.state !== null) {
      this.save(value.state);
      this.#write([opcode.build]);
    }
  }

  #saveGlobal(module: string, qualname: string): void {
    const key = `${module}.${qualname}`;
    if (this.#writeMemoGet(this.#globalMemo.get(key))) {
      return;
    }
    this.save({ kind: 'str', value: module });
    this.save({ kind: 'str', value: qualname });
    this.#write([opcode.stackGlobal]);
    this.#globalMemo.set(key, this.#memoPut());
  }

  /** Writes BINGET or LONG_BINGET for a memoized value; returns false when it is not memoized. */
  #writeMemoGet(index: number | undefined): boolean {
    if (index === undefined) {
      return false;
    }
    this.#write(index < 0x100 ? [opcode.binGet, index] : [opcode.longBinGet, ...uint32(index)]);
    return true;
  }

  #memoPut(): number {
    this.#write([opcode.memoize]);
    const index = this.#memoCount;
    this.#memoCount += 1;
    return index;
  }

  /**
   * Writes an opcode with its payload. As in CPython, a payload of 64 KiB or more closes the
   * open frame and is written with its opcode outside any frame.
   */
  #writeBytes(header: number[], payload: Buffer): void {
    if (payload.length >= frameSizeTarget) {
      this.#commitFrame();
      this.#flushCurrent();
      this.#chunks.push(Buffer.from(header), payload);
      return;
    }
    this.#write(header);
    this.#flushCurrent();
    this.#chunks.push(payload);
    this.#frameLength += payload.length;
  }

  #write(bytes: readonly number[]): void {
    if (this.#framing && this.#frameStart === -1) {
      this.#flushCurrent();
      this.#frameStart = this.#chunks.length;
      this.#chunks.push(Buffer.alloc(frameHeaderSize));
      this.#frameLength = 0;
    }
    for (const byte of bytes) {
      this.#current.push(byte);
    }
    this.#frameLength += bytes.length;
  }

  #opcodeBoundary(): void {
    if (this.#frameStart !== -1 && this.#frameLength >= frameSizeTarget) {
      this.#commitFrame();
    }
  }

  /** Fills in the open frame's header, or drops the header when the frame is shorter than 4 bytes. */
  #commitFrame(): void {
    if (this.#frameStart === -1) {
      return;
    }
    this.#flushCurrent();
    if (this.#frameLength >= frameSizeMin) {
      const header = Buffer.alloc(frameHeaderSize);
      header[0] = opcode.frame;
      header.writeBigUInt64LE(BigInt(this.#frameLength), 1);
      this.#chunks[this.#frameStart] = header;
    } else {
      this.#chunks[this.#frameStart] = Buffer.alloc(0);
    }
    this.#frameStart = -1;
  }

  #flushCurrent(): void {
    if (this.#current.length > 0) {
      this.#chunks.push(Buffer.from(this.#current));
      this.#current = [];
    }
  }
}

function uint32(value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return [...bytes];
}

/** Two's-complement little-endian bytes of `value`, as short as Python's `encode_long` makes them. */
function encodeLong(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.push(byte);
    rest >>= 8n;
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) {
      return bytes;
    }
  }
}
