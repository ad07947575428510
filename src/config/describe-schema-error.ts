import type { ErrorObject } from 'ajv';
import type { ConfigErrorCode } from './config-error.ts';
import { maskSecret } from './mask-secret.ts';

/** Context for one field in an error message: the origin of its value, and whether the value is secret. */
export interface FieldDescription {
  /** Phrase that follows the field name, such as ` in the config file /etc/bot.yaml`. */
  origin: string;
  secret: boolean;
}

/** Describes a dotted field name for error messages. */
export type DescribeField = (field: string) => FieldDescription;

/** One schema violation, in words. */
export interface SchemaProblem {
  code: Extract<ConfigErrorCode, 'invalid_value' | 'unknown_setting' | 'missing_setting'>;
  field: string;
  message: string;
}

interface ParentSchema {
  description?: string;
  type?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, unknown>;
}

/** Turns an ajv error (from a validator compiled with `verbose: true`) into a sentence. */
export function describeSchemaError(error: ErrorObject, root: unknown, describeField: DescribeField): SchemaProblem {
  const parent = (error.parentSchema ?? {}) as ParentSchema;
  const field = fieldName(root, error.instancePath);

  if (error.keyword === 'additionalProperties') {
    return describeUnknownKey(field, String(error.params['additionalProperty']), parent, describeField);
  }
  if (error.keyword === 'required') {
    const missing = joinField(field, String(error.params['missingProperty']));
    return { code: 'missing_setting', field: missing, message: `Missing ${missing}${describeField(missing).origin}.` };
  }
  if (typeof error.propertyName === 'string') {
    const displayedKey = JSON.stringify(error.propertyName);
    const message = `Invalid key ${displayedKey} in ${field}${describeField(field).origin}. Expected ${parent.description ?? 'a valid key'}.`;
    return { code: 'invalid_value', field, message };
  }

  const { origin, secret } = describeField(field);
  const displayedValue = displayValue(error.data, secret);
  const message = `Invalid value for ${field}${origin}: ${displayedValue}. Expected ${expectation(error, parent)}.`;
  return { code: 'invalid_value', field, message };
}

function describeUnknownKey(parentField: string, key: string, parent: ParentSchema, describeField: DescribeField): SchemaProblem {
  const field = joinField(parentField, key);
  const known = Object.keys(parent.properties ?? {}).join(', ');
  const where = parentField === '' ? 'at the top level' : `under ${parentField}`;
  const message = `Unknown setting ${field}${describeField(field).origin}. Settings allowed ${where}: ${known}.`;
  return { code: 'unknown_setting', field, message };
}

function expectation(error: ErrorObject, parent: ParentSchema): string {
  switch (error.keyword) {
    case 'type':
      return typeName(String(error.params['type']));
    case 'enum':
      return `one of: ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return describeRange(parent);
    case 'minLength':
      return error.params['limit'] === 1 ? 'a non-empty string' : `at least ${String(error.params['limit'])} characters`;
    case 'maxLength':
      return `at most ${String(error.params['limit'])} characters`;
    case 'uniqueItems':
      return 'a list without duplicates';
    case 'pattern':
    case 'format':
      return parent.description ?? `a value that ${error.message ?? 'matches the schema'}`;
    default:
      return `a value that ${error.message ?? 'matches the schema'}`;
  }
}

function describeRange(parent: ParentSchema): string {
  const base = typeName(parent.type ?? 'number');
  if (parent.minimum !== undefined && parent.maximum !== undefined) {
    return `${base} from ${parent.minimum} to ${parent.maximum}`;
  }
  if (parent.minimum !== undefined) {
    return `${base} of at least ${parent.minimum}`;
  }
  return `${base} of at most ${String(parent.maximum)}`;
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    integer: 'an integer',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping of keys to values',
  };
  return names[type] ?? type;
}

/** Formats a bad value for a message: strings quoted and cut, secrets masked, lists and mappings named. */
function displayValue(value: unknown, secret: boolean): string {
  if (typeof value === 'string') {
    if (secret) {
      return maskSecret(value);
    }
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value !== null && typeof value === 'object') {
    return 'a mapping';
  }
  return String(value);
}

/** Turns an ajv instance path (`/access/profiles/prod/channels/0`) into `access.profiles.prod.channels[0]`. */
function fieldName(root: unknown, instancePath: string): string {
  let field = '';
  let node = root;
  for (const encoded of instancePath.split('/').slice(1)) {
    const segment = encoded.replaceAll('~1', '/').replaceAll('~0', '~');
    field = Array.isArray(node) ? `${field}[${segment}]` : joinField(field, segment);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return field;
}

function joinField(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}
