import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One transition of a machine, with the names a reader of the diagram sees. */
export interface TransitionRecord {
  /** Stable id: `source --event[guard]--> target`, unique within the machine. */
  id: string;
  /** Dotted path of the state that declares it, e.g. `ready.noRunSet`. */
  source: string;
  event: string;
  guard: string | null;
  /** Dotted paths of the target states; empty for a transition that stays (actions only). */
  targets: string[];
  actions: string[];
  definition: AnyTransitionDefinition;
}

/**
 * Lists every event transition the machine declares, in declaration order: guarded
 * alternatives separately, and transitions without a target included. The diagram and the
 * model-based coverage test both come from this list.
 */
export function listTransitions(machine: AnyStateMachine): TransitionRecord[] {
  const records: TransitionRecord[] = [];
  for (const node of walkStateNodes(machine.root)) {
    for (const [event, definitions] of node.transitions) {
      for (const definition of definitions) {
        records.push(describeTransition(node, event, definition));
      }
    }
  }
  return records;
}

/** Lists every state node below `root`, parents before children, in declaration order. */
export function walkStateNodes(root: AnyStateNode): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const visit = (node: AnyStateNode): void => {
    nodes.push(node);
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      visit(child);
    }
  };
  visit(root);
  return nodes;
}

/** Returns a state node's dotted path without the machine id, and `(machine)` for the root. */
export function statePath(node: AnyStateNode): string {
  return node.path.length === 0 ? '(machine)' : node.path.join('.');
}

function describeTransition(node: AnyStateNode, event: string, definition: AnyTransitionDefinition): TransitionRecord {
  const source = statePath(node);
  const guard = nameOf(definition.guard);
  const targets = (definition.target ?? []).map((target) => statePath(target));
  const actions = definition.actions.map((action) => nameOf(action) ?? 'inline');
  const arrow = `--${event}${guard ? `[${guard}]` : ''}-->`;
  return { id: `${source} ${arrow} ${targets.join(',') || '(stays)'}`, source, event, guard, targets, actions, definition };
}

function nameOf(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string') {
    return value.type;
  }
  return value === undefined ? null : 'inline';
}

/** Transitions that differ only in their event, merged for display; `events` keeps their order. */
export interface TransitionGroup {
  source: string;
  events: string[];
  guard: string | null;
  targets: string[];
  actions: string[];
}

/**
 * Merges transitions with the same source, guard, targets and actions into one group, in the
 * order of their first member, so that a rule that applies to many events reads as one line.
 */
export function groupTransitions(records: readonly TransitionRecord[]): TransitionGroup[] {
  const groups = new Map<string, TransitionGroup>();
  for (const record of records) {
    const key = JSON.stringify([record.source, record.guard, record.targets, record.actions]);
    const group = groups.get(key);
    if (group) {
      group.events.push(record.event);
    } else {
      groups.set(key, { source: record.source, events: [record.event], guard: record.guard, targets: record.targets, actions: record.actions });
    }
  }
  return [...groups.values()];
}
