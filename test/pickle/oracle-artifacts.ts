import { readFileSync } from 'node:fs';
import path from 'node:path';
import { metaflowLocalRoot, oraclePath } from '../support/fixture-paths.ts';

/** One artifact as `oracle.json` records what the Python client returned for it. */
export interface OracleArtifact {
  flow: string;
  /** `Flow/run/step/task` of the task that lists the artifact. */
  pathspec: string;
  name: string;
  sha: string;
  type_qualname: string;
  /** `repr(value)` cut to 500 characters. */
  repr: string;
  repr_len: number;
  repr_truncated: boolean;
}

interface OracleTask {
  pathspec: string;
  artifacts?: Omit<OracleArtifact, 'flow' | 'pathspec'>[];
}

interface Oracle {
  flows: Record<string, { runs: Record<string, { steps: { tasks: OracleTask[] }[] }> }>;
}

/** Returns every artifact of every task in `oracle.json`, in file order. */
export function oracleArtifacts(): OracleArtifact[] {
  const oracle = JSON.parse(readFileSync(oraclePath, 'utf8')) as Oracle;
  const artifacts: OracleArtifact[] = [];

  for (const [flow, { runs }] of Object.entries(oracle.flows)) {
    for (const run of Object.values(runs)) {
      for (const task of run.steps.flatMap((step) => step.tasks)) {
        for (const artifact of task.artifacts ?? []) {
          artifacts.push({ ...artifact, flow, pathspec: task.pathspec });
        }
      }
    }
  }
  return artifacts;
}

/** Path of an artifact blob: `.metaflow/<Flow>/data/<sha[0:2]>/<sha>`. */
export function blobPath(flow: string, sha: string): string {
  return path.join(metaflowLocalRoot, '.metaflow', flow, 'data', sha.slice(0, 2), sha);
}

/** Reads an artifact blob (gzip-compressed pickle) from the fixture datastore. */
export function readBlob(flow: string, sha: string): Uint8Array {
  return readFileSync(blobPath(flow, sha));
}
