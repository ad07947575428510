import type { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimeZone, PyValue } from './python-value.ts';

/*
 * Python's repr of the `datetime` module's types (CPython 3.11 `Lib/datetime.py`). A time zone
 * can be any object, so each function takes a callback that writes its repr.
 */

type WriteText = (text: string) => void;
type WriteValue = (value: PyValue) => void;

/** Writes `datetime.date(2024, 2, 29)`. */
export function writeDateRepr(write: WriteText, date: PyDate): void {
  write(`datetime.date(${date.year}, ${date.month}, ${date.day})`);
}

/** Writes `datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=…, fold=1)`. A zero microsecond, then a zero second, is left out. */
export function writeDateTimeRepr(write: WriteText, writeValue: WriteValue, value: PyDateTime): void {
  const fields = [value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond];
  for (let dropped = 0; dropped < 2 && fields[fields.length - 1] === 0; dropped += 1) {
    fields.pop();
  }
  write(`datetime.datetime(${fields.join(', ')}`);
  writeTail(write, writeValue, value);
}

/** Writes `datetime.time(23, 59, 58)`. The second appears when it or the microsecond is not zero. */
export function writeTimeRepr(write: WriteText, writeValue: WriteValue, value: PyTime): void {
  const fields = [value.hour, value.minute];
  if (value.microsecond !== 0) {
    fields.push(value.second, value.microsecond);
  } else if (value.second !== 0) {
    fields.push(value.second);
  }
  write(`datetime.time(${fields.join(', ')}`);
  writeTail(write, writeValue, value);
}

/** Returns `datetime.timedelta(days=1, seconds=3600, microseconds=5)`, or `datetime.timedelta(0)`. */
export function timeDeltaRepr(value: PyTimeDelta): string {
  const fields: string[] = [];
  if (value.days !== 0) fields.push(`days=${value.days}`);
  if (value.seconds !== 0) fields.push(`seconds=${value.seconds}`);
  if (value.microseconds !== 0) fields.push(`microseconds=${value.microseconds}`);
  return `datetime.timedelta(${fields.length > 0 ? fields.join(', ') : '0'})`;
}

/**
 * Writes a fixed-offset zone. A zero offset without a name is `timezone.utc`, because CPython's
 * `timezone` constructor returns that singleton for it.
 */
export function writeTimeZoneRepr(write: WriteText, writeValue: WriteValue, value: PyTimeZone): void {
  const { days, seconds, microseconds } = value.offset;
  if (value.name === null && days === 0 && seconds === 0 && microseconds === 0) {
    write('datetime.timezone.utc');
    return;
  }
  write(`datetime.timezone(${timeDeltaRepr(value.offset)}`);
  if (value.name !== null) {
    write(', ');
    writeValue({ kind: 'str', value: value.name });
  }
  write(')');
}

function writeTail(write: WriteText, writeValue: WriteValue, value: PyDateTime | PyTime): void {
  if (value.tzinfo !== null) {
    write(', tzinfo=');
    writeValue(value.tzinfo);
  }
  write(value.fold === 1 ? ', fold=1)' : ')');
}
