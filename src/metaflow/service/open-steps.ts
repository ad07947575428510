import type { Dag } from '../reader.ts';

/**
 * Finds the started steps whose tasks are most likely still running: those none of whose
 * successors in the DAG has started. Outside a foreach a step starts when the steps before it
 * have ended, and a join waits for all its branches. Inside a foreach each split moves on by
 * itself, so a step there can still run or fail after its successor started. The status
 * therefore looks for failures in every step (`closedStepFailures`). Both branches of a static
 * split are open until the join starts.
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
