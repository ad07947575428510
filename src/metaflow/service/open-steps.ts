import type { Dag } from '../reader.ts';

/**
 * Finds the started steps whose tasks may still run or fail: those none of whose successors in
 * the DAG has started. Metaflow starts a step only when every step before it has ended (a join
 * waits for all branches, and the step after a foreach for every split), so a step with a
 * started successor has ended. Both branches of a static split are open until the join starts.
 *
 * `started` lists the started steps newest first, without `_parameters`.
 *
 * NOTE: without the DAG (a `_graph_info` that is not recorded yet) only the newest step is open,
 * so a running or failed branch of a split counts as ended until the join starts.
 */
export function findOpenSteps(dag: Dag | null, started: readonly string[]): string[] {
  if (dag === null) {
    return started.slice(0, 1);
  }
  const startedSet = new Set(started);
  const successors = new Map(dag.steps.map((step) => [step.name, step.next]));
  return started.filter((name) => {
    const next = successors.get(name);
    // A step the DAG does not name cannot be placed, so it stays open rather than be called ended.
    return next === undefined || !next.some((successor) => startedSet.has(successor));
  });
}
