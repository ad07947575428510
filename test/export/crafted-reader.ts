import type { MetaflowReader, ParameterInfo, RunFilter, RunInfo, RunStatus, StatusOptions } from '../../src/metaflow/reader.ts';
import { DelegatingReader } from '../support/delegating-reader.ts';

/** Changes to one run: extra user tags and parameter values put in place of the stored ones. */
export interface RunChanges {
  userTags?: string[];
  parameters?: Record<string, unknown>;
}

/**
 * The fixture datastore with some runs' tags and parameters replaced, for values the fixture
 * does not contain (text that starts with `=`, `+`, `-` or `@`). Everything else is read from
 * the real datastore.
 */
export class CraftedReader extends DelegatingReader {
  readonly #changes: ReadonlyMap<string, RunChanges>;

  constructor(inner: MetaflowReader, changes: ReadonlyMap<string, RunChanges>) {
    super(inner);
    this.#changes = changes;
  }

  override async listRuns(flow: string, filter?: RunFilter): Promise<RunInfo[]> {
    return (await this.inner.listRuns(flow, filter)).map((run) => this.#patchRun(run));
  }

  override async getRun(flow: string, runId: string): Promise<RunInfo> {
    return this.#patchRun(await this.inner.getRun(flow, runId));
  }

  override async getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    const status = await this.inner.getRunStatus(flow, runId, options);
    return { ...status, run: this.#patchRun(status.run) };
  }

  override async getParameters(flow: string, runId: string): Promise<ParameterInfo[]> {
    const parameters = await this.inner.getParameters(flow, runId);
    const replaced = this.#changes.get(`${flow}/${runId}`)?.parameters ?? {};
    return parameters.map((parameter) =>
      Object.hasOwn(replaced, parameter.name)
        ? { ...parameter, json: replaced[parameter.name], repr: JSON.stringify(replaced[parameter.name]) }
        : parameter,
    );
  }

  #patchRun(run: RunInfo): RunInfo {
    const changes = this.#changes.get(run.pathspec);
    return changes?.userTags ? { ...run, userTags: [...run.userTags, ...changes.userTags] } : run;
  }
}
