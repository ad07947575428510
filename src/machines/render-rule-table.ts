import type { AnyStateMachine } from 'xstate';
import { groupTransitions, listTransitions } from './list-transitions.ts';

/**
 * Renders every transition as a Markdown table row (transitions that differ only in their
 * event share a row): the state, the event, the guard that
 * selects it, where it goes and what it does. Guarded rows come before their fallback, in
 * the order the machine tries them.
 */
export function renderRuleTable(machine: AnyStateMachine): string {
  const rows = groupTransitions(listTransitions(machine)).map((transition) => {
    const target = transition.targets.length > 0 ? transition.targets.join(', ') : '(stays)';
    const cells = [
      transition.source,
      transition.events.map((event) => `\`${event}\``).join(', '),
      transition.guard ? `\`${transition.guard}\`` : '(otherwise)',
      target,
      transition.actions.map((action) => `\`${action}\``).join(', '),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| state | events | guard | goes to | actions |', '| --- | --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}
