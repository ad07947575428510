import path from 'node:path';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { LocalBlobStore } from '../../src/metaflow/local-blob-store.ts';
import { MetadataServiceClient } from '../../src/metaflow/service/service-client.ts';
import { ServiceReader } from '../../src/metaflow/service/service-reader.ts';
import { metadataServiceFixtureDir } from '../support/fixture-paths.ts';
import { loadExchanges, phaseRecordedAt, startContractServer, type ContractServer, type Phase } from './contract-server.ts';

/** The recorded datastore, standing in for `/srv/svcflows/.metaflow` of the recordings. */
export const serviceDatastoreRoot = path.join(metadataServiceFixtureDir, 'datastore');

export const exchanges = loadExchanges(metadataServiceFixtureDir);

/** A reader on a contract server of one phase, with `now` at the phase's recording time. */
export interface ServiceSetup {
  server: ContractServer;
  client: MetadataServiceClient;
  reader: ServiceReader;
  now: number;
  close(): Promise<void>;
}

export async function openServiceReader(phase: Phase, options: { logger?: Logger; timeoutMs?: number } = {}): Promise<ServiceSetup> {
  const server = await startContractServer(exchanges, phase);
  const logger = options.logger ?? silentLogger;
  const client = new MetadataServiceClient({ baseUrl: server.url, logger, timeoutMs: options.timeoutMs ?? 5_000, retryDelayMs: 10 });
  const reader = new ServiceReader({ client, blobs: new LocalBlobStore(serviceDatastoreRoot), logger });
  return { server, client, reader, now: phaseRecordedAt(exchanges, phase), close: () => server.close() };
}

/**
 * Requests the reader makes for records the recordings lack, each answered as a 404: the
 * `_parameters` task list of runs whose client sequence was not recorded, the `_graph_info` row
 * of `FailingFlow/3` and `SlowFlow/5`, the `start` task lists of the failed and killed runs, the
 * `transform` task list of `LinearParamFlow/1` (its task is known from the run's metadata), the
 * metadata of end tasks (recorded for none; the reader then reads `_task_ok` and `_success`),
 * and the `_exception` of `FailingFlow/55`.
 */
const unrecordedRequests: readonly RegExp[] = [
  /^GET \/flows\/(ForeachFlow\/runs\/2|RetryFlow\/runs\/4|FailingFlow\/runs\/55|LinearParamFlow\/runs\/\d+)\/steps\/_parameters\/tasks$/,
  /^GET \/flows\/(FailingFlow\/runs\/3|SlowFlow\/runs\/5)\/steps\/_parameters\/tasks\/\d+\/artifacts\/_graph_info$/,
  /^GET \/flows\/(FailingFlow\/runs\/(3|55)|SlowFlow\/runs\/5)\/steps\/start\/tasks$/,
  /^GET \/flows\/LinearParamFlow\/runs\/1\/steps\/transform\/tasks$/,
  /^GET \/flows\/[A-Za-z]+\/runs\/\d+\/steps\/end\/tasks\/\d+\/metadata$/,
  /^GET \/flows\/FailingFlow\/runs\/55\/steps\/boom\/tasks\/227\/artifacts\/_exception$/,
];

/** The server's unmatched requests that `unrecordedRequests` does not explain. */
export function unexpectedRequests(server: ContractServer): string[] {
  return server.unmatched.filter((request) => !unrecordedRequests.some((pattern) => pattern.test(request)));
}
