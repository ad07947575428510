import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schemaJson from '../../docs/schema/export.schema.json' with { type: 'json' };
import { ExportError } from './export-error.ts';

/** The parts of an export that are checked one by one while it streams. */
export type ExportPart = 'runsHeader' | 'runRow' | 'tasksHeader' | 'taskRow';

// ajv-formats is CommonJS, so TypeScript types its default import as the module namespace.
const addFormats = addFormatsModule.default;

const schemaKey = 'export';
const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(schemaJson, schemaKey);

const validators = new Map<ExportPart | 'document', ValidateFunction>([
  ['document', compiled(schemaKey)],
  ['runsHeader', compiled(`${schemaKey}#/$defs/runsHeader`)],
  ['runRow', compiled(`${schemaKey}#/$defs/runRow`)],
  ['tasksHeader', compiled(`${schemaKey}#/$defs/tasksHeader`)],
  ['taskRow', compiled(`${schemaKey}#/$defs/taskRow`)],
]);

/**
 * Checks one part of an export against the published schema, `docs/schema/export.schema.json`.
 * The bot builds every value itself, so a mismatch is a bug in the bot.
 *
 * @throws ExportError `invalid_export` naming the part, the schema path and `where` (a pathspec).
 */
export function checkExportPart(part: ExportPart | 'document', value: unknown, where: string): void {
  const validate = validators.get(part);
  if (!validate) {
    throw new Error(`The export schema has no part ${part}.`);
  }
  if (validate(value)) {
    return;
  }

  const first = validate.errors?.[0];
  const problem = first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'is invalid';
  throw new ExportError('invalid_export', `The export of ${where} did not match its schema, so it was not sent.`, {
    part,
    where,
    problem,
    schemaPath: first?.schemaPath ?? null,
  });
}

function compiled(reference: string): ValidateFunction {
  const validate = ajv.getSchema(reference);
  if (!validate) {
    throw new Error(`The export schema has no definition ${reference}.`);
  }
  return validate;
}
