import type { RunFilter, RunInfo } from '../../src/metaflow/reader.ts';
import { DelegatingReader } from '../support/delegating-reader.ts';

/** A reader that lists runs with an empty pathspec, which the export schema rejects. */
export class BrokenPathspecReader extends DelegatingReader {
  override async listRuns(flow: string, filter?: RunFilter): Promise<RunInfo[]> {
    return (await this.inner.listRuns(flow, filter)).map((run) => ({ ...run, pathspec: '' }));
  }
}
