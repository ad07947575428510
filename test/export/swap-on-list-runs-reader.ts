import type { MetaflowReader, RunFilter, RunInfo } from '../../src/metaflow/reader.ts';
import { DelegatingReader } from '../support/delegating-reader.ts';

/**
 * A reader that runs `change` once, on the first `listRuns`, so a test can alter the file
 * system after the export has opened its output and before it commits.
 */
export class SwapOnListRunsReader extends DelegatingReader {
  private change: (() => Promise<void>) | null;

  constructor(inner: MetaflowReader, change: () => Promise<void>) {
    super(inner);
    this.change = change;
  }

  override async listRuns(flow: string, filter?: RunFilter): Promise<RunInfo[]> {
    const change = this.change;
    this.change = null;
    await change?.();
    return this.inner.listRuns(flow, filter);
  }
}
