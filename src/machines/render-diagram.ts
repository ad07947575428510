import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { listTransitions, statePath, walkStateNodes } from './list-transitions.ts';

/**
 * Renders the machine as a Mermaid state diagram. Each edge is labelled with its event, its
 * guard in brackets and its actions after a slash, so the diagram is the bot's rulebook.
 * Output is deterministic: the docs test compares it with the committed copy.
 */
export function renderMermaidDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  lines.push(...renderChildren(machine.root, '  '));

  for (const transition of listTransitions(machine)) {
    const targets = transition.targets.length > 0 ? transition.targets : [transition.source];
    const guard = transition.guard ? ` [${transition.guard}]` : '';
    const actions = transition.actions.length > 0 ? ` / ${transition.actions.join(', ')}` : '';
    for (const target of targets) {
      lines.push(`  ${mermaidId(transition.source)} --> ${mermaidId(target)}: ${transition.event}${guard}${actions}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function renderChildren(node: AnyStateNode, indent: string): string[] {
  const lines: string[] = [];
  const initial = node.initial?.target[0];
  if (initial) {
    lines.push(`${indent}[*] --> ${mermaidId(statePath(initial))}`);
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) {
    const id = mermaidId(statePath(child));
    if (Object.keys(child.states).length === 0) {
      lines.push(`${indent}state "${child.key}" as ${id}`);
      continue;
    }
    lines.push(`${indent}state "${child.key}" as ${id} {`, ...renderChildren(child, `${indent}  `), `${indent}}`);
  }
  return lines;
}

/** Mermaid ids cannot contain dots, so `ready.noRunSet` becomes `ready_noRunSet`. */
function mermaidId(path: string): string {
  return path.replace(/\./g, '_');
}

/** The number of states, for the diagram's caption. */
export function countStates(machine: AnyStateMachine): number {
  return walkStateNodes(machine.root).length - 1;
}
