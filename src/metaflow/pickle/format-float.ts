/**
 * Formats a double as CPython's `repr(float)` does (`float_repr_style` `'short'`): the
 * shortest digits that read back to the same double, in positional notation when the decimal
 * exponent is from -4 to 15 and in scientific notation otherwise (`1e-05`, `1e+16`).
 *
 * JavaScript's `toExponential()` yields the same shortest digits, so only the layout differs.
 * `addDotZero` adds the `.0` that float's repr shows and complex's parts leave out. `signed`
 * puts `+` before a value that is not negative, because complex's imaginary part needs it.
 */
export function formatFloat(value: number, options: { addDotZero: boolean; signed?: boolean }): string {
  let sign = options.signed ? '+' : '';
  if (value < 0 || Object.is(value, -0)) {
    sign = '-';
  }
  if (Number.isNaN(value)) {
    return `${options.signed ? '+' : ''}nan`;
  }
  if (!Number.isFinite(value)) {
    return `${sign}inf`;
  }
  if (value === 0) {
    return `${sign}0${options.addDotZero ? '.0' : ''}`;
  }

  const [mantissa = '', exponentText = ''] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  // Python's `decpt`: the value is 0.<digits> times 10 to this power.
  const pointPosition = Number(exponentText) + 1;

  if (pointPosition <= -4 || pointPosition > 16) {
    return sign + scientific(digits, pointPosition - 1);
  }
  return sign + positional(digits, pointPosition, options.addDotZero);
}

function scientific(digits: string, exponent: number): string {
  const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
  return `${body}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
}

function positional(digits: string, pointPosition: number, addDotZero: boolean): string {
  if (pointPosition <= 0) {
    return `0.${'0'.repeat(-pointPosition)}${digits}`;
  }
  if (pointPosition >= digits.length) {
    return digits + '0'.repeat(pointPosition - digits.length) + (addDotZero ? '.0' : '');
  }
  return `${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}
