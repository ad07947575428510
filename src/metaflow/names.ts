/**
 * Checks for names that come from users before they become file system paths. A name that
 * passes can be used as one path segment: it cannot climb out of a folder, name a parent,
 * or smuggle a separator or a NUL byte.
 */
import { MetaflowError } from './errors.ts';

/** The kinds of names in a Metaflow pathspec `Flow/run/step/task/artifact`. */
export type MetaflowNameKind = 'flow' | 'run' | 'step' | 'task' | 'artifact';

interface NameRule {
  /** Name of the kind in messages, e.g. `Run id`. */
  label: string;
  pattern: RegExp;
  /** The rule as a sentence, shown after the reason a name was rejected. */
  description: string;
}

/**
 * Python identifiers: a letter or `_`, then letters, digits or `_`. Flow names are class
 * names, and step and artifact names are attribute names, so Python itself enforces this.
 */
const identifierPattern = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const identifierDescription = 'It must be a Python identifier: letters, digits and "_", not starting with a digit.';

/**
 * Run and task ids. The local metadata provider makes integer ids, and the schedulers make
 * ids such as `argo-helloflow-x7k2p` and `sfn-<uuid>`. Argo ids can contain dots, because
 * Metaflow's `sanitize_for_argo` keeps the dots of `@project` names (`proj.branch.flowname`).
 * A leading dot is rejected, which keeps out `.`, `..` and hidden folders.
 */
const idPattern = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;
const idDescription = 'It may contain only letters, digits, "_", "-" and ".", and must not start with ".".';

const rules: Record<MetaflowNameKind, NameRule> = {
  flow: { label: 'Flow name', pattern: identifierPattern, description: identifierDescription },
  run: { label: 'Run id', pattern: idPattern, description: idDescription },
  step: { label: 'Step name', pattern: identifierPattern, description: identifierDescription },
  task: { label: 'Task id', pattern: idPattern, description: idDescription },
  artifact: { label: 'Artifact name', pattern: identifierPattern, description: identifierDescription },
};

/** Maximum name length in UTF-8 bytes, the limit of one path segment on common file systems. */
const maxNameBytes = 255;

/** Maximum number of characters of a rejected name that a message repeats. */
const maxEchoedLength = 80;

/**
 * Throws `MetaflowError('invalid_name')` unless `value` is a valid name of the given kind.
 * The message names the kind, repeats the value (cut and JSON-quoted, so a NUL byte shows as
 * `\u0000`) and states the rule.
 */
export function validateMetaflowName(kind: MetaflowNameKind, value: string): void {
  const rule = rules[kind];
  const reason = findNameProblem(rule, value);
  if (reason === null) {
    return;
  }
  throw new MetaflowError('invalid_name', `${rule.label} ${echoName(value)} is invalid because it ${reason}. ${rule.description}`);
}

/** Returns whether `value` is a valid name of the given kind, for filtering folder listings. */
export function isValidMetaflowName(kind: MetaflowNameKind, value: string): boolean {
  return findNameProblem(rules[kind], value) === null;
}

/** Throws `MetaflowError('invalid_name')` unless `flow` is a valid flow name. */
export function validateFlowName(flow: string): void {
  validateMetaflowName('flow', flow);
}

/** Throws `MetaflowError('invalid_name')` unless each part of `Flow/run` is valid. */
export function validateRunPath(flow: string, runId: string): void {
  validateMetaflowName('flow', flow);
  validateMetaflowName('run', runId);
}

/** Throws `MetaflowError('invalid_name')` unless each part of `Flow/run/step` is valid. */
export function validateStepPath(flow: string, runId: string, step: string): void {
  validateRunPath(flow, runId);
  validateMetaflowName('step', step);
}

/** Throws `MetaflowError('invalid_name')` unless each part of `Flow/run/step/task` is valid. */
export function validateTaskPath(flow: string, runId: string, step: string, taskId: string): void {
  validateStepPath(flow, runId, step);
  validateMetaflowName('task', taskId);
}

/** Returns why `value` breaks the rule, as a clause that follows "it", or `null` when it is valid. */
function findNameProblem(rule: NameRule, value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) {
    return 'is empty';
  }
  if (value.includes('\u0000')) {
    return 'contains a NUL byte';
  }
  if (value.includes('/') || value.includes('\\')) {
    return 'contains a path separator';
  }
  if (/%(2f|5c|2e|00)/i.test(value)) {
    return 'contains a percent-encoded path character';
  }
  if (value === '.' || value === '..') {
    return 'is a relative path segment';
  }
  if (Buffer.byteLength(value, 'utf8') > maxNameBytes) {
    return `is longer than ${maxNameBytes} bytes`;
  }
  if (!rule.pattern.test(value)) {
    return 'does not have the allowed form';
  }
  return null;
}

function echoName(value: string): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > maxEchoedLength ? `${text.slice(0, maxEchoedLength)}…` : text;
  return JSON.stringify(cut);
}
