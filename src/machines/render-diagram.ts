import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { groupTransitions, listTransitions, statePath } from './list-transitions.ts';

/**
 * Renders the machine as a Mermaid state diagram. Each edge is labelled with its events, its
 * guard in brackets and its actions after a slash, so the diagram is the bot's rulebook.
 * Transitions that differ only in their event share one edge.
 * Output is deterministic: the docs test compares it with the committed copy.
 */
export function renderMermaidDiagram(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  lines.push(...renderChildren(machine.root, '  '));

  for (const group of groupTransitions(listTransitions(machine))) {
    const targets = group.targets.length > 0 ? group.targets : [group.source];
    const guard = group.guard ? ` [${group.guard}]` : '';
    const actions = group.actions.length > 0 ? ` / ${group.actions.join(', ')}` : '';
    for (const target of targets) {
      lines.push(`  ${mermaidId(group.source)} --> ${mermaidId(target)}: ${group.events.join(', ')}${guard}${actions}`);
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
