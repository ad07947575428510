import type { PyValue } from '../../src/metaflow/pickle/index.ts';
import { pyDict, pyInt, pyList, pyStr } from './py-values.ts';

/** Folder the synthetic flows claim to have run from, written into `_graph_info` as the fixture's are. */
const flowSourceFolder = '/srv/flows';

/** Step types as Metaflow's `FlowGraph` names them in `_graph_info`. */
export type StepType = 'start' | 'linear' | 'split-foreach' | 'join' | 'end';

/** One step of a flow's graph. */
export interface StepShape {
  name: string;
  type: StepType;
  /** Line of the step's definition in the flow file. */
  line: number;
  doc: string;
  next: readonly string[];
  /** For a `split-foreach` step: the artifact it iterates over, and its join step. */
  foreach?: { artifact: string; matchingJoin: string };
}

/** `graph_structure`: step names, with a nested list for each split. */
export type GraphStructure = readonly (string | GraphStructure)[];

/** A flow as its `_graph_info` artifact describes it. */
export interface FlowShape {
  name: string;
  /** The flow's Python file name, such as `manyrunsflow.py`. */
  file: string;
  doc: string;
  parameters: readonly string[];
  steps: readonly StepShape[];
  graphStructure: GraphStructure;
}

/** Builds the `_graph_info` value Metaflow 2.19.38 stores with every task of a run of `shape`. */
export function graphInfoValue(shape: FlowShape): PyValue {
  return pyDict({
    file: pyStr(shape.file),
    start_step: pyStr('start'),
    end_step: pyStr('end'),
    parameters: pyList(shape.parameters.map((name) => pyDict({ name: pyStr(name), type: pyStr('Parameter') }))),
    constants: pyList([]),
    steps: pyDict(Object.fromEntries(shape.steps.map((step) => [step.name, stepValue(step, shape.file)]))),
    graph_structure: structureValue(shape.graphStructure),
    doc: pyStr(shape.doc),
    decorators: pyList([]),
    extensions: pyDict({ installed: pyDict({}) }),
  });
}

function stepValue(step: StepShape, file: string): PyValue {
  const fields: Record<string, PyValue> = {
    name: pyStr(step.name),
    type: pyStr(step.type),
    line: pyInt(step.line),
    source_file: pyStr(`${flowSourceFolder}/${file}`),
    doc: pyStr(step.doc),
    decorators: pyList([]),
    next: pyList(step.next.map(pyStr)),
    node_info: pyDict({}),
  };
  if (step.foreach !== undefined) {
    fields['foreach_artifact'] = pyStr(step.foreach.artifact);
    fields['matching_join'] = pyStr(step.foreach.matchingJoin);
  }
  return pyDict(fields);
}

function structureValue(structure: GraphStructure): PyValue {
  return pyList(structure.map((item) => (typeof item === 'string' ? pyStr(item) : structureValue(item))));
}
