import { PickleFault } from './pickle-fault.ts';

const newline = 0x0a;

/** Reads the pickle stream front to back, failing with a `PickleFault` at the end of the data. */
export class ByteReader {
  /** Offset of the next byte to read. */
  position = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Number of bytes not read yet. */
  get remaining(): number {
    return this.data.length - this.position;
  }

  /** Reads one unsigned byte. */
  byte(): number {
    this.require(1);
    const value = this.data[this.position] as number;
    this.position += 1;
    return value;
  }

  /** Returns the next `length` bytes as a view into the input (not a copy). */
  bytes(length: number): Uint8Array {
    this.require(length);
    const start = this.position;
    this.position += length;
    return this.data.subarray(start, this.position);
  }

  /** Reads an unsigned 16-bit little-endian integer. */
  uint16(): number {
    this.require(2);
    const value = this.view.getUint16(this.position, true);
    this.position += 2;
    return value;
  }

  /** Reads a signed 32-bit little-endian integer. */
  int32(): number {
    this.require(4);
    const value = this.view.getInt32(this.position, true);
    this.position += 4;
    return value;
  }

  /** Reads an unsigned 32-bit little-endian integer. */
  uint32(): number {
    this.require(4);
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  /** Reads an unsigned 64-bit little-endian length, which must fit in a JavaScript number. */
  uint64(): number {
    this.require(8);
    const value = this.view.getBigUint64(this.position, true);
    this.position += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new PickleFault(`the 64-bit length ${value} is larger than any real data`);
    }
    return Number(value);
  }

  /** Reads a 64-bit big-endian IEEE 754 double (the byte order BINFLOAT uses). */
  float64(): number {
    this.require(8);
    const value = this.view.getFloat64(this.position, false);
    this.position += 8;
    return value;
  }

  /** Returns the bytes up to the next newline, which is consumed but not returned. */
  line(): Uint8Array {
    const end = this.data.indexOf(newline, this.position);
    if (end === -1) {
      throw new PickleFault('the data ends before the newline that ends this line, so the pickle is truncated');
    }
    const start = this.position;
    this.position = end + 1;
    return this.data.subarray(start, end);
  }

  private require(length: number): void {
    if (length < 0) {
      throw new PickleFault(`the length ${length} is negative`);
    }
    if (length > this.remaining) {
      throw new PickleFault(
        `${length} bytes are needed but only ${this.remaining} remain, so the pickle is truncated`,
      );
    }
  }
}
