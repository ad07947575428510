import type { ByteReader } from './byte-reader.ts';
import { PickleFault } from './pickle-fault.ts';
import type { PyValue } from './python-value.ts';

/** Runs one opcode: reads its argument from `machine.reader` and changes the stack. */
export type OpcodeHandler = (machine: PickleMachine) => void;

/** Handlers by opcode byte. */
export type OpcodeHandlers = Record<number, OpcodeHandler>;

/**
 * The state of the pickle virtual machine: the stack, the marks set on it and the memo. As in
 * CPython's `Unpickler`, MARK moves the current stack onto a meta-stack and starts an empty one,
 * so the items since the mark are simply the current stack.
 */
export class PickleMachine {
  /** The decoded value, set by STOP. */
  result: PyValue | undefined;
  /** Protocol named by PROTO; 0 when the pickle has none. */
  protocol = 0;
  private stack: PyValue[] = [];
  private readonly metastack: PyValue[][] = [];
  private readonly memo = new Map<number, PyValue>();

  constructor(readonly reader: ByteReader) {}

  /** Number of values above the last mark. */
  get stackSize(): number {
    return this.stack.length;
  }

  /** Pushes a value. */
  push(value: PyValue): void {
    this.stack.push(value);
  }

  /** Pops the top value, failing when the stack above the last mark is empty. */
  pop(): PyValue {
    const value = this.stack.pop();
    if (value === undefined) {
      throw new PickleFault(this.emptyStackReason());
    }
    return value;
  }

  /** Returns the top value without popping it. */
  peek(): PyValue {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined) {
      throw new PickleFault(this.emptyStackReason());
    }
    return value;
  }

  /** Starts a new mark (the MARK opcode). */
  mark(): void {
    this.metastack.push(this.stack);
    this.stack = [];
  }

  /** Returns the values pushed since the last mark and removes them and the mark. */
  popMark(): PyValue[] {
    const items = this.stack;
    const previous = this.metastack.pop();
    if (previous === undefined) {
      throw new PickleFault('there is no MARK to pop back to');
    }
    this.stack = previous;
    return items;
  }

  /** Stores the top value in the memo under `index`. */
  memoPut(index: number): void {
    this.memo.set(index, this.peek());
  }

  /** Stores the top value under the next free memo index (the MEMOIZE opcode). */
  memoize(): void {
    this.memoPut(this.memo.size);
  }

  /** Pushes the memo value stored under `index`. */
  memoGet(index: number): void {
    const value = this.memo.get(index);
    if (value === undefined) {
      throw new PickleFault(`memo index ${index} was never stored`);
    }
    this.push(value);
  }

  private emptyStackReason(): string {
    return this.metastack.length > 0
      ? 'the opcode needs a value but finds the MARK'
      : 'the opcode needs a value but the stack is empty';
  }
}
