import type { MetaflowReader } from '../../src/metaflow/reader.ts';

type ReaderMethod = Exclude<keyof MetaflowReader, 'description'>;

/**
 * A real reader with one method delayed, for tests of lookups that time out or overlap with
 * the next message. Every call still reaches the real datastore.
 */
export class SlowReader implements MetaflowReader {
  readonly description: string;
  readonly iterateRuns: MetaflowReader['iterateRuns'];

  constructor(
    private readonly inner: MetaflowReader,
    private readonly slowMethod: ReaderMethod,
    private readonly delayMs: number,
  ) {
    this.description = inner.description;
    const iterate = inner.iterateRuns?.bind(inner);
    this.iterateRuns = iterate ? (...args) => iterate(...args) : undefined;
  }

  private async call<T>(method: ReaderMethod, run: () => Promise<T>): Promise<T> {
    if (method === this.slowMethod) {
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    }
    return run();
  }

  listFlows: MetaflowReader['listFlows'] = () => this.call('listFlows', () => this.inner.listFlows());
  listRuns: MetaflowReader['listRuns'] = (...args) => this.call('listRuns', () => this.inner.listRuns(...args));
  getRun: MetaflowReader['getRun'] = (...args) => this.call('getRun', () => this.inner.getRun(...args));
  latestRun: MetaflowReader['latestRun'] = (...args) => this.call('latestRun', () => this.inner.latestRun(...args));
  latestSuccessfulRun: MetaflowReader['latestSuccessfulRun'] = (...args) =>
    this.call('latestSuccessfulRun', () => this.inner.latestSuccessfulRun(...args));
  listSteps: MetaflowReader['listSteps'] = (...args) => this.call('listSteps', () => this.inner.listSteps(...args));
  listTasks: MetaflowReader['listTasks'] = (...args) => this.call('listTasks', () => this.inner.listTasks(...args));
  getTask: MetaflowReader['getTask'] = (...args) => this.call('getTask', () => this.inner.getTask(...args));
  getParameters: MetaflowReader['getParameters'] = (...args) => this.call('getParameters', () => this.inner.getParameters(...args));
  getDag: MetaflowReader['getDag'] = (...args) => this.call('getDag', () => this.inner.getDag(...args));
  getRunStatus: MetaflowReader['getRunStatus'] = (...args) => this.call('getRunStatus', () => this.inner.getRunStatus(...args));
  listArtifacts: MetaflowReader['listArtifacts'] = (...args) => this.call('listArtifacts', () => this.inner.listArtifacts(...args));
  readArtifact: MetaflowReader['readArtifact'] = (...args) => this.call('readArtifact', () => this.inner.readArtifact(...args));
  readLog: MetaflowReader['readLog'] = (...args) => this.call('readLog', () => this.inner.readLog(...args));
}
