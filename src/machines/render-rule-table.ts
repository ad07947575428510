import type { AnyStateMachine } from 'xstate';
import { listTransitions } from './list-transitions.ts';

/**
 * Renders every transition as a Markdown table row: the state, the event, the guard that
 * selects it, where it goes and what it does. Guarded rows come before their fallback, in
 * the order the machine tries them.
 */
export function renderRuleTable(machine: AnyStateMachine): string {
  const rows = listTransitions(machine).map((transition) => {
    const target = transition.targets.length > 0 ? transition.targets.join(', ') : '(stays)';
    const cells = [
      transition.source,
      `\`${transition.event}\``,
      transition.guard ? `\`${transition.guard}\`` : '(otherwise)',
      target,
      transition.actions.map((action) => `\`${action}\``).join(', '),
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| state | event | guard | goes to | actions |', '| --- | --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}
