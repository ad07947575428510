/**
 * Counts the requests each thread command makes against the metadata service backend: the
 * real thread session on a `ServiceReader`, on the loopback contract server that replays the
 * recorded exchanges (`test/metadata-service/contract-server.ts`). The commands run in one
 * thread on a new reader (cold), then again in a second thread on the same reader (warm).
 *
 * NOTE: where the recordings lack a record, the contract server replies as the service does for
 * a record it does not have. Those requests are counted, and `unrecorded` is their number.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/logger.ts';
import { LocalBlobStore } from '../src/metaflow/local-blob-store.ts';
import { MetadataServiceClient } from '../src/metaflow/service/service-client.ts';
import { ServiceReader } from '../src/metaflow/service/service-reader.ts';
import unpackFixtures from '../test/global-setup.ts';
import { loadExchanges, phaseRecordedAt, startContractServer } from '../test/metadata-service/contract-server.ts';
import { createThreadHarness } from '../test/support/thread-harness.ts';
import { metadataServiceFixtureDir } from '../test/support/fixture-paths.ts';
import { formatMs, markdownTable } from './markdown-table.ts';

/** Figures of one command. */
export interface CommandFigures {
  command: string;
  coldMs: number;
  coldRequests: number;
  warmRequests: number;
  /** Requests of the cold run that the recordings do not cover. */
  unrecorded: number;
}

/** The commands, in the order a user might ask them about `LinearParamFlow/1`, whose run metadata the recordings have. */
const commands: readonly string[] = [
  'inspect LinearParamFlow/1',
  'status',
  'params',
  'data',
  'data start/',
  'logs',
  'logs start',
  'inspect LinearParamFlow',
  'flows',
  'export json',
];

/** Runs the commands cold and warm against a contract server of phase `c`. */
export async function benchServiceCommands(): Promise<CommandFigures[]> {
  unpackFixtures();
  const exchanges = loadExchanges(metadataServiceFixtureDir);
  const server = await startContractServer(exchanges, 'c');
  const now = phaseRecordedAt(exchanges, 'c');
  try {
    const client = new MetadataServiceClient({ baseUrl: server.url, logger: silentLogger });
    const reader = new ServiceReader({ client, blobs: new LocalBlobStore(path.join(metadataServiceFixtureDir, 'datastore')), logger: silentLogger });
    const cold = await askAll(createThreadHarness({ reader, now }), client, server.unmatched);
    const warm = await askAll(createThreadHarness({ reader, now }), client, server.unmatched);
    return commands.map((command, index) => ({
      command,
      coldMs: cold[index]?.ms ?? Number.NaN,
      coldRequests: cold[index]?.requests ?? Number.NaN,
      warmRequests: warm[index]?.requests ?? Number.NaN,
      unrecorded: cold[index]?.unrecorded ?? Number.NaN,
    }));
  } finally {
    await server.close();
  }
}

async function askAll(
  harness: ReturnType<typeof createThreadHarness>,
  client: MetadataServiceClient,
  unmatched: readonly string[],
): Promise<{ ms: number; requests: number; unrecorded: number }[]> {
  const figures: { ms: number; requests: number; unrecorded: number }[] = [];
  for (const command of commands) {
    const requestsBefore = client.requestCount;
    const unmatchedBefore = unmatched.length;
    const start = performance.now();
    await harness.say(command);
    figures.push({ ms: performance.now() - start, requests: client.requestCount - requestsBefore, unrecorded: unmatched.length - unmatchedBefore });
  }
  return figures;
}

/** Formats `benchServiceCommands`' figures, one row per command. */
export function formatServiceCommandsTable(figures: readonly CommandFigures[]): string {
  const rows = figures.map((figure) => [`\`${figure.command}\``, String(figure.coldRequests), String(figure.unrecorded), formatMs(figure.coldMs), String(figure.warmRequests)]);
  return markdownTable(['command', 'cold requests', 'of them unrecorded', 'cold', 'warm requests'], rows);
}
