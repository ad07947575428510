/**
 * Types and helpers for `oracle.json`: what the official Python client (Metaflow 2.19.38)
 * returned for every object of the fixture datastore. Only the fields the tests compare are
 * typed.
 */
import { readFileSync } from 'node:fs';
import { oraclePath } from '../support/fixture-paths.ts';

export interface OracleLog {
  line_count?: number;
  head?: string[];
  tail?: string[];
  text_sha256?: string;
  text_len?: number;
  size: number;
  loglines_error?: string;
  text_error?: string;
}

export interface OracleArtifact {
  name: string;
  sha: string;
  size: number;
  type_qualname: string;
  repr: string;
  repr_len: number;
  repr_truncated: boolean;
}

export interface OracleTask {
  pathspec: string;
  id: string;
  created_at_epoch_ms: number;
  finished: boolean;
  successful: boolean;
  finished_at_epoch_ms: number | null;
  current_attempt: number;
  index: number | null;
  exception_repr: string | null;
  exception_str: string | null;
  artifact_names: string[];
  artifacts: OracleArtifact[];
  stdout: OracleLog;
  stderr: OracleLog;
}

export interface OracleStep {
  name: string;
  created_at_epoch_ms: number;
  /** The client's naive UTC datetime; steps have no `finished_at_epoch_ms`. */
  finished_at: string | null;
  task_ids_client_order: string[];
  tasks: OracleTask[];
}

export interface OracleParameterValue {
  repr: string;
  type: string;
}

export interface OracleRun {
  id: string;
  user: string | null;
  user_tags: string[];
  system_tags: string[];
  created_at_epoch_ms: number;
  finished: boolean;
  successful: boolean;
  finished_at_epoch_ms: number | null;
  end_task: string | null;
  parameters: { names: string[]; values: Record<string, OracleParameterValue> };
  step_names_client_order: string[];
  steps: OracleStep[];
}

export interface OracleGraphStep {
  type: string;
  next: string[];
  foreach_artifact?: string;
}

export interface OracleFlow {
  created_at_epoch_ms: number;
  run_ids_client_order: string[];
  latest_run: string | null;
  latest_successful_run: string | null;
  runs_by_user_tag: Record<string, string[]>;
  runs_by_tags_prod_and_experiment_1?: string[];
  run_ids_by_user_system_tag: Record<string, string[]>;
  /** Run ids per `namespace('user:X')`, or the error the client raised when no run matched. */
  namespace_queries: Record<string, string[] | { error: string }>;
  graph_info: { start_step: string; end_step: string; steps: Record<string, OracleGraphStep> };
  graph_info_from_run: string;
  runs: Record<string, OracleRun>;
}

export interface Oracle {
  flow_names: string[];
  flows: Record<string, OracleFlow>;
}

/** Converts the client's naive UTC ISO datetime (`2026-12-04T19:39:33.340000`) to epoch ms. */
export function epochFromIso(iso: string | null): number | null {
  return iso === null ? null : Date.parse(`${iso}Z`);
}

/** Reads the oracle of the unpacked fixture. */
export function loadOracle(): Oracle {
  return JSON.parse(readFileSync(oraclePath, 'utf8')) as Oracle;
}

/**
 * Sorts each run of neighbours with equal creation times by id and keeps everything else in
 * place. The client keeps objects with equal `created_at` in file system order, which is
 * unspecified, so two correct listings can differ only inside such a run of neighbours.
 */
export function canonicalTieOrder(ids: readonly string[], createdAt: (id: string) => number): string[] {
  const result: string[] = [];
  let group: string[] = [];
  for (const id of ids) {
    if (group.length > 0 && createdAt(group[0] as string) !== createdAt(id)) {
      result.push(...group.sort());
      group = [];
    }
    group.push(id);
  }
  result.push(...group.sort());
  return result;
}
