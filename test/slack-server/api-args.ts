import { SlackApiError } from './slack-api-error.ts';

/**
 * Arguments of one Web API call. Form-encoded calls carry only strings, and the real
 * WebClient JSON-encodes arrays and objects into them; JSON calls carry real values.
 * The readers below accept both forms.
 */
export type ApiArgs = Record<string, unknown>;

/** Returns a non-empty string argument, or throws `SlackApiError(missingError)`. */
export function requireString(args: ApiArgs, name: string, missingError: string): string {
  const value = optionalString(args, name);
  if (value === undefined || value === '') {
    throw new SlackApiError(missingError, [`[ERROR] missing required field: ${name}`]);
  }
  return value;
}

/** Returns a string argument; numbers are turned into strings; anything else is undefined. */
export function optionalString(args: ApiArgs, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return undefined;
}

/** Reads a boolean given as `true`/`false`, `1`/`0` or a JSON boolean; absent means `fallback`. */
export function optionalBoolean(args: ApiArgs, name: string, fallback: boolean): boolean {
  const value = args[name];
  if (value === undefined || value === '') {
    return fallback;
  }
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Reads a whole number; absent means `fallback`; anything else throws `invalid_arguments`. */
export function optionalInteger(args: ApiArgs, name: string, fallback: number): number {
  const value = args[name];
  if (value === undefined || value === '') {
    return fallback;
  }
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(number)) {
    throw new SlackApiError('invalid_arguments', [`[ERROR] ${name} must be an integer, got ${JSON.stringify(value)}`]);
  }
  return number;
}

/**
 * Reads an argument that holds JSON: a JSON-encoded string from a form-encoded call, or
 * the value itself from a JSON call. Unparseable text throws `SlackApiError(invalidError)`.
 */
export function optionalJson(args: ApiArgs, name: string, invalidError: string): unknown {
  const value = args[name];
  if (typeof value !== 'string') {
    return value;
  }
  if (value === '') {
    return undefined;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackApiError(invalidError, [`[ERROR] ${name} is not valid JSON`]);
  }
}

/** Tells whether a value is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
