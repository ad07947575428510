/**
 * Times the most frequent thread questions against the metadata service backend: a
 * `ServiceReader` on the loopback contract server that replays the recorded exchanges
 * (`test/metadata-service/contract-server.ts`), with blobs and logs from the recorded datastore.
 * Each question runs once on a new reader (cold) and then `repeats` times on the same reader
 * (warm); the request counts come from `MetadataServiceClient.requestCount`.
 *
 * NOTE: the contract server answers from memory on loopback, so the times measure the bot's
 * own work plus loopback HTTP, not a real service's database queries.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../src/logger.ts';
import { LocalBlobStore } from '../src/metaflow/local-blob-store.ts';
import { MetadataServiceClient } from '../src/metaflow/service/service-client.ts';
import { ServiceReader } from '../src/metaflow/service/service-reader.ts';
import unpackFixtures from '../test/global-setup.ts';
import { loadExchanges, phaseRecordedAt, startContractServer } from '../test/metadata-service/contract-server.ts';
import { metadataServiceFixtureDir } from '../test/support/fixture-paths.ts';
import { formatMs, markdownTable } from './markdown-table.ts';

/** Figures of one question. */
export interface ServiceQuestionFigures {
  question: string;
  coldMs: number;
  coldRequests: number;
  /** Median of the warm repeats. */
  warmMs: number;
  warmRequests: number;
}

interface Question {
  question: string;
  ask(reader: ServiceReader, now: number): Promise<unknown>;
}

const questions: readonly Question[] = [
  { question: 'status of the finished run `LinearParamFlow/1` (3 steps)', ask: (reader, now) => reader.getRunStatus('LinearParamFlow', '1', { now, staleAfterMs: 600_000 }) },
  { question: 'status of the killed run `SlowFlow/5` (2 steps)', ask: (reader, now) => reader.getRunStatus('SlowFlow', '5', { now, staleAfterMs: 600_000 }) },
  { question: 'status of the 14-task foreach run `ForeachFlow/2`', ask: (reader, now) => reader.getRunStatus('ForeachFlow', '2', { now, staleAfterMs: 600_000 }) },
  { question: 'newest 5 runs of `LinearParamFlow`', ask: (reader) => reader.listRuns('LinearParamFlow', { limit: 5 }) },
  { question: 'one artifact value (`LinearParamFlow/1/start/2` `numbers`)', ask: (reader) => reader.readArtifact('LinearParamFlow', '1', 'start', '2', 'numbers') },
  { question: 'stdout tail of `LinearParamFlow/1/start/2`, 40 lines', ask: (reader) => reader.readLog('LinearParamFlow', '1', 'start', '2', 'stdout', { tailLines: 40 }) },
];

/** Runs every question cold and `repeats` times warm against a contract server of phase `c`. */
export async function benchService(repeats = 20): Promise<ServiceQuestionFigures[]> {
  unpackFixtures();
  const exchanges = loadExchanges(metadataServiceFixtureDir);
  const server = await startContractServer(exchanges, 'c');
  const now = phaseRecordedAt(exchanges, 'c');
  try {
    const figures: ServiceQuestionFigures[] = [];
    for (const question of questions) {
      const client = new MetadataServiceClient({ baseUrl: server.url, logger: silentLogger });
      const reader = new ServiceReader({ client, blobs: new LocalBlobStore(path.join(metadataServiceFixtureDir, 'datastore')), logger: silentLogger });
      const cold = await timeQuestion(() => question.ask(reader, now), client);
      const warm: { ms: number; requests: number }[] = [];
      for (let index = 0; index < repeats; index += 1) {
        warm.push(await timeQuestion(() => question.ask(reader, now), client));
      }
      const sorted = [...warm].sort((left, right) => left.ms - right.ms);
      figures.push({
        question: question.question,
        coldMs: cold.ms,
        coldRequests: cold.requests,
        warmMs: sorted[Math.floor(sorted.length / 2)]?.ms ?? Number.NaN,
        warmRequests: warm.at(-1)?.requests ?? Number.NaN,
      });
    }
    return figures;
  } finally {
    await server.close();
  }
}

async function timeQuestion(ask: () => Promise<unknown>, client: MetadataServiceClient): Promise<{ ms: number; requests: number }> {
  const before = client.requestCount;
  const start = performance.now();
  await ask();
  return { ms: performance.now() - start, requests: client.requestCount - before };
}

/** Formats `benchService`'s figures, one row per question. */
export function formatServiceTable(figures: readonly ServiceQuestionFigures[]): string {
  const rows = figures.map((figure) => [figure.question, formatMs(figure.coldMs), String(figure.coldRequests), formatMs(figure.warmMs), String(figure.warmRequests)]);
  return markdownTable(['question', 'cold', 'cold requests', 'warm (median)', 'warm requests'], rows);
}
