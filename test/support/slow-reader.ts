import type { MetaflowReader, RunStatus, StatusOptions } from '../../src/metaflow/reader.ts';
import { DelegatingReader } from './delegating-reader.ts';

/**
 * A real reader whose run status arrives late, for tests of lookups that time out or overlap
 * with the next message. Every call still reaches the real datastore.
 */
export class SlowReader extends DelegatingReader {
  constructor(
    inner: MetaflowReader,
    private readonly statusDelayMs: number,
  ) {
    super(inner);
  }

  override async getRunStatus(flow: string, runId: string, options: StatusOptions): Promise<RunStatus> {
    await new Promise((resolve) => setTimeout(resolve, this.statusDelayMs));
    return this.inner.getRunStatus(flow, runId, options);
  }
}
