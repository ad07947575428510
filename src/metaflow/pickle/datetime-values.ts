import { encodeLatin1 } from './text-codecs.ts';
import type { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimeZone, PyValue } from './python-value.ts';

/*
 * Builders for the `datetime` module's types from the arguments their pickles pass.
 * CPython 3.11 pickles date, time and datetime as one packed byte string (`_getstate`):
 * date `yhi ylo month day`, time `hour minute second us1 us2 us3`, datetime the date bytes
 * then the time bytes. The `fold` flag adds 128 to the month (datetime) or hour (time). The
 * time zone, when there is one, is the second argument. Each builder returns `undefined`
 * when the arguments have another shape (Python never writes one), and the caller then keeps
 * the value as an opaque object.
 */

/** Builds a `datetime.date` from its packed state. */
export function makeDate(args: PyValue[]): PyDate | undefined {
  const state = packedState(args[0], 4);
  if (!state || args.length !== 1 || !isMonth(state[2] as number)) {
    return undefined;
  }
  return { kind: 'date', year: ((state[0] as number) << 8) | (state[1] as number), month: state[2] as number, day: state[3] as number };
}

/** Builds a `datetime.datetime` from its packed state and time zone. */
export function makeDateTime(args: PyValue[]): PyDateTime | undefined {
  const state = packedState(args[0], 10);
  if (!state || args.length > 2 || !isMonth((state[2] as number) & 0x7f)) {
    return undefined;
  }
  return {
    kind: 'datetime',
    year: ((state[0] as number) << 8) | (state[1] as number),
    month: (state[2] as number) & 0x7f,
    day: state[3] as number,
    ...unpackTime(state.subarray(4)),
    fold: (state[2] as number) > 0x7f ? 1 : 0,
    tzinfo: timeZoneArgument(args[1]),
  };
}

/** Builds a `datetime.time` from its packed state and time zone. */
export function makeTime(args: PyValue[]): PyTime | undefined {
  const state = packedState(args[0], 6);
  if (!state || args.length > 2 || ((state[0] as number) & 0x7f) >= 24) {
    return undefined;
  }
  const time = unpackTime(state);
  return { kind: 'time', ...time, hour: time.hour & 0x7f, fold: time.hour > 0x7f ? 1 : 0, tzinfo: timeZoneArgument(args[1]) };
}

/** Builds a `datetime.timedelta`, normalized as Python does: 0 <= seconds < 86400, 0 <= µs < 10**6. */
export function makeTimeDelta(args: PyValue[]): PyTimeDelta | undefined {
  if (args.length > 3 || !args.every((arg) => arg.kind === 'int')) {
    return undefined;
  }
  const [days = 0n, seconds = 0n, microseconds = 0n] = args.map((arg) => (arg.kind === 'int' ? arg.value : 0n));
  const total = (days * 86_400n + seconds) * 1_000_000n + microseconds;
  const microsecondsPerDay = 86_400_000_000n;
  const wholeDays = floorDivide(total, microsecondsPerDay);
  const rest = total - wholeDays * microsecondsPerDay;
  return {
    kind: 'timedelta',
    days: Number(wholeDays),
    seconds: Number(rest / 1_000_000n),
    microseconds: Number(rest % 1_000_000n),
  };
}

/** Builds a fixed-offset `datetime.timezone` from its offset and optional name. */
export function makeTimeZone(args: PyValue[]): PyTimeZone | undefined {
  const [offset, name] = args;
  if (offset?.kind !== 'timedelta' || args.length > 2 || (name !== undefined && name.kind !== 'str')) {
    return undefined;
  }
  return { kind: 'timezone', offset, name: name?.kind === 'str' ? name.value : null };
}

function unpackTime(bytes: Uint8Array): { hour: number; minute: number; second: number; microsecond: number } {
  const [hour, minute, second, us1, us2, us3] = Array.from(bytes.subarray(0, 6));
  return {
    hour: hour as number,
    minute: minute as number,
    second: second as number,
    microsecond: ((us1 as number) << 16) | ((us2 as number) << 8) | (us3 as number),
  };
}

/** Returns the packed state bytes when `arg` is a bytes object (or a Latin-1 str, from Python 2) of `length`. */
function packedState(arg: PyValue | undefined, length: number): Uint8Array | undefined {
  if (arg?.kind === 'bytes' && arg.value.length === length) {
    return arg.value;
  }
  if (arg?.kind === 'str' && arg.value.length === length) {
    return encodeLatin1(arg.value);
  }
  return undefined;
}

function timeZoneArgument(arg: PyValue | undefined): PyValue | null {
  return arg === undefined || arg.kind === 'none' ? null : arg;
}

function isMonth(value: number): boolean {
  return value >= 1 && value <= 12;
}

function floorDivide(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  return dividend % divisor !== 0n && dividend < 0n !== divisor < 0n ? quotient - 1n : quotient;
}
