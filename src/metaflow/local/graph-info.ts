/**
 * The `_graph_info` artifact: the flow's DAG as Metaflow (2.19.38) stores it with every task.
 * Its decoded shape is
 * `{start_step, end_step, parameters: [{name, type}], steps: {<name>: {type, next, decorators,
 * foreach_artifact?, …}}, graph_structure, …}`.
 */
import { MetaflowError } from '../errors.ts';
import type { PyValue } from '../pickle/index.ts';
import type { Dag, DagStep, StepKind } from '../reader.ts';

/** The parts of `_graph_info` that the reader uses. */
export interface GraphInfo {
  dag: Dag;
  /** Declared parameter names, in the stored order. */
  parameterNames: string[];
  /**
   * Attempts the scheduler may make per step: one, plus `@retry(times)`, plus the three
   * fallback attempts of `@catch`, at most Metaflow's `MAX_ATTEMPTS` (6).
   */
  maxAttempts: Map<string, number>;
  /** The `var` of a step's `@catch`, for steps that have one. */
  catchVariables: Map<string, string>;
}

/** A value of the decoded graph as plain JavaScript. Kinds that a graph never contains become `undefined`. */
type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain } | undefined;

const stepKinds: Record<string, StepKind> = {
  start: 'start',
  linear: 'linear',
  'split-static': 'split-static',
  'split-foreach': 'foreach',
  // Older Metaflow versions call the splits `split-and` and `foreach`.
  'split-and': 'split-static',
  foreach: 'foreach',
  // A `@parallel` step fans out like a foreach over `num_parallel` workers.
  'split-parallel': 'foreach',
  'split-switch': 'split-switch',
  join: 'join',
  end: 'end',
};

/** Metaflow's `MAX_ATTEMPTS`: the scheduler never starts attempt 6. */
const metaflowMaxAttempts = 6;
/** `@retry` without `times` retries three times (`RetryDecorator.defaults`). */
const defaultRetryTimes = 3;
/** `@catch` adds this many attempts that only record the failure (`NUM_FALLBACK_RETRIES`). */
const catchFallbackAttempts = 3;

/**
 * Checks and converts a decoded `_graph_info`. `where` names the artifact in messages.
 *
 * @throws MetaflowError `corrupt_data` when the shape is not as described above or a step has
 *   a type this reader does not know.
 */
export function parseGraphInfo(value: PyValue, where: string): GraphInfo {
  const graph = expectRecord(toPlain(value), where);
  const steps = expectRecord(graph['steps'], `${where} "steps"`);
  const dagSteps: DagStep[] = [];
  const maxAttempts = new Map<string, number>();
  const catchVariables = new Map<string, string>();

  for (const [name, rawStep] of Object.entries(steps)) {
    const step = expectRecord(rawStep, `${where} step ${name}`);
    dagSteps.push(parseDagStep(name, step, where));
    const decorators = Array.isArray(step['decorators']) ? step['decorators'].map((decorator) => expectRecord(decorator, `${where} step ${name} decorators`)) : [];
    maxAttempts.set(name, countMaxAttempts(decorators));
    const catchVariable = findCatchVariable(decorators);
    if (catchVariable !== null) {
      catchVariables.set(name, catchVariable);
    }
  }

  const parameters = Array.isArray(graph['parameters']) ? graph['parameters'] : [];
  return {
    dag: { start: expectText(graph['start_step'] ?? 'start', `${where} "start_step"`), end: expectText(graph['end_step'] ?? 'end', `${where} "end_step"`), steps: dagSteps },
    parameterNames: parameters.map((parameter) => expectText(expectRecord(parameter, `${where} "parameters"`)['name'], `${where} parameter name`)),
    maxAttempts,
    catchVariables,
  };
}

function parseDagStep(name: string, step: Record<string, Plain>, where: string): DagStep {
  const type = expectText(step['type'], `${where} step ${name} "type"`);
  const kind = stepKinds[type];
  if (kind === undefined) {
    throw new MetaflowError('corrupt_data', `${where} gives step ${name} the type ${JSON.stringify(type)}, which this reader does not know.`);
  }
  const next = Array.isArray(step['next']) ? step['next'].map((target) => expectText(target, `${where} step ${name} "next"`)) : [];
  const dagStep: DagStep = { name, kind, next };
  if (typeof step['foreach_artifact'] === 'string') {
    dagStep.foreachArtifact = step['foreach_artifact'];
  }
  return dagStep;
}

function countMaxAttempts(decorators: readonly Record<string, Plain>[]): number {
  let attempts = 1;
  for (const decorator of decorators) {
    const attributes = decorator['attributes'];
    const times = typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes) ? attributes['times'] : undefined;
    if (decorator['name'] === 'retry') {
      const parsed = Number(times ?? defaultRetryTimes);
      attempts += Number.isInteger(parsed) && parsed >= 0 ? parsed : defaultRetryTimes;
    }
    if (decorator['name'] === 'catch') {
      attempts += catchFallbackAttempts;
    }
  }
  return Math.min(attempts, metaflowMaxAttempts);
}

function findCatchVariable(decorators: readonly Record<string, Plain>[]): string | null {
  for (const decorator of decorators) {
    const attributes = decorator['attributes'];
    if (decorator['name'] === 'catch' && typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) {
      const variable = attributes['var'];
      return typeof variable === 'string' && variable !== '' ? variable : null;
    }
  }
  return null;
}

/** Converts the kinds a graph contains; dict keys that are not strings are dropped. */
function toPlain(value: PyValue): Plain {
  switch (value.kind) {
    case 'none':
      return null;
    case 'bool':
    case 'float':
    case 'str':
      return value.value;
    case 'int':
      return Number(value.value);
    case 'list':
    case 'tuple':
      return value.items.map(toPlain);
    case 'dict':
      return Object.fromEntries(value.entries.filter(([key]) => key.kind === 'str').map(([key, item]) => [(key as { value: string }).value, toPlain(item)]));
    default:
      return undefined;
  }
}

function expectRecord(value: Plain, where: string): Record<string, Plain> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MetaflowError('corrupt_data', `${where} is not a dict as Metaflow writes it.`);
  }
  return value;
}

function expectText(value: Plain, where: string): string {
  if (typeof value !== 'string') {
    throw new MetaflowError('corrupt_data', `${where} is not a string as Metaflow writes it.`);
  }
  return value;
}
