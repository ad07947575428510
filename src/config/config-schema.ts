import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schemaJson from '../../docs/schema/config.schema.json' with { type: 'json' };
import { ConfigError } from './config-error.ts';
import { describeSchemaError, type DescribeField } from './describe-schema-error.ts';

/** The parts of a JSON schema node that the bot reads besides validating. */
export interface SchemaNode {
  description?: string;
  type?: string;
  enum?: readonly string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  properties?: Record<string, SchemaNode>;
}

/** The published schema of the config file, `docs/schema/config.schema.json`. */
export const configSchema: SchemaNode & { $defs: Record<string, SchemaNode> } = schemaJson;

// ajv-formats is CommonJS, so TypeScript types its default import as the module namespace.
const addFormats = addFormatsModule.default;

const ajv = new Ajv2020({ allErrors: false, verbose: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schemaJson);

/**
 * Checks configuration data against the published schema and throws a `ConfigError` for
 * the first problem, in a sentence that names the field, the value and what is allowed.
 */
export function validateConfigShape(data: unknown, describeField: DescribeField): void {
  if (validate(data)) {
    return;
  }
  const [first] = validate.errors ?? [];
  if (!first) {
    throw new ConfigError('invalid_value', 'config', 'The configuration does not match its schema.');
  }
  const problem = describeSchemaError(first, data, describeField);
  throw new ConfigError(problem.code, problem.field, problem.message);
}

/** Returns the schema node of a dotted setting name, with its `$ref` merged in. */
export function settingSchema(key: string): SchemaNode {
  let node: SchemaNode | undefined = configSchema;
  for (const part of key.split('.')) {
    node = node?.properties?.[part];
  }
  if (!node) {
    throw new Error(`The config schema has no setting ${key}.`);
  }
  return resolveRef(node);
}

function resolveRef(node: SchemaNode): SchemaNode {
  const name = node.$ref?.replace('#/$defs/', '');
  const target = name === undefined ? undefined : configSchema.$defs[name];
  return target ? { ...target, ...node } : node;
}
