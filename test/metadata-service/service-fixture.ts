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
