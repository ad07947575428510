/**
 * The artifacts Metaflow 2.19.38 stores for every task besides the flow's own: the flow name,
 * the parameters, and the private `_`-prefixed state of the runtime. Values that repeat are
 * shared objects, so the blob store pickles each of them once.
 */
import type { PyValue } from '../../src/metaflow/pickle/index.ts';
import { pyBool, pyList, pyNone, pyTuple } from './py-values.ts';

const trueValue = pyBool(true);
const emptyList = pyList([]);

/** Artifacts that every task of a run shares. */
export interface RunArtifacts {
  /** The `name` artifact: the flow name. */
  flowName: PyValue;
  /** Parameter values by name, in the order the flow declares them. */
  parameters: readonly (readonly [string, PyValue])[];
  graphInfo: PyValue;
}

/** Artifacts that one task adds to those its run shares. */
export interface TaskArtifacts {
  /** `_transition`: the next steps and the foreach variable, `None` for the end step. */
  transition: PyValue;
  currentStep: PyValue;
  /** `_foreach_stack`; an empty list outside a foreach. */
  foreachStack?: PyValue;
  /** Set by a `split-foreach` step: `_foreach_var` and `_foreach_num_splits`. */
  foreachSplit?: { variable: PyValue; splits: PyValue };
  /** `_foreach_values`, present in a foreach split and inside it. */
  foreachValues?: PyValue;
  /** Flow artifacts set by earlier steps. */
  inherited?: readonly (readonly [string, PyValue])[];
  /** Flow artifacts this step sets. */
  created?: readonly (readonly [string, PyValue])[];
}

/** Builds `(next_steps, foreach_variable)`, the `_transition` of a step that has a next step. */
export function transitionValue(next: readonly PyValue[], foreachVariable: PyValue = pyNone): PyValue {
  return pyTuple([pyList(next), foreachVariable]);
}

/** Returns a task's artifacts in the order Metaflow's `data.json` lists them. */
export function taskArtifacts(run: RunArtifacts, task: TaskArtifacts): [string, PyValue][] {
  return [
    ['name', run.flowName],
    ...run.parameters.map(([name, value]): [string, PyValue] => [name, value]),
    ['_transition', task.transition],
    ['_task_ok', trueValue],
    ['_success', trueValue],
    ['_graph_info', run.graphInfo],
    ['_foreach_stack', task.foreachStack ?? emptyList],
    ['_configs_processed', trueValue],
    ...(task.inherited ?? []).map(([name, value]): [string, PyValue] => [name, value]),
    ['_iteration_stack', emptyList],
    ['_foreach_var', task.foreachSplit?.variable ?? pyNone],
    ...(task.foreachValues === undefined ? [] : [['_foreach_values', task.foreachValues] as [string, PyValue]]),
    ['_foreach_num_splits', task.foreachSplit?.splits ?? pyNone],
    ['_exception', pyNone],
    ['_current_step', task.currentStep],
    ...(task.created ?? []).map(([name, value]): [string, PyValue] => [name, value]),
  ];
}

/** Returns the artifacts of `_parameters/0`. */
export function parameterTaskArtifacts(run: RunArtifacts): [string, PyValue][] {
  return [
    ['name', run.flowName],
    ...run.parameters.map(([name, value]): [string, PyValue] => [name, value]),
    ['_transition', pyNone],
    ['_task_ok', trueValue],
    ['_success', trueValue],
    ['_graph_info', run.graphInfo],
    ['_foreach_stack', emptyList],
    ['_configs_processed', trueValue],
  ];
}
