/**
 * Runs one reader case in a fresh Node process, so that nothing is cached or compiled yet:
 * `node --import tsx --expose-gc bench/reader/cold-probe.ts <case> <root>`. The parent
 * (`bench/reader.ts`) forks it and receives a `ProbeResult` over IPC. The operating system's
 * page cache is not dropped, so the files are read from memory as on a busy bot host.
 */
import { silentLogger } from '../../src/logger.ts';
import { LocalDatastoreReader } from '../../src/metaflow/local/local-datastore-reader.ts';
import { findReaderCase } from './reader-cases.ts';

/** Figures of one cold process. Times in milliseconds, memory in bytes. */
export interface ProbeResult {
  caseId: string;
  /** The first call, on a new reader in a new process. */
  coldMs: number;
  /** The same call again on the same reader. */
  warmMs: number;
  /** Growth of the resident set size from before the first call to its peak (`maxRSS`). */
  peakRssGrowth: number;
  /** Heap in use after both calls and a full garbage collection, less the heap before them. */
  retainedHeap: number;
  /** Description of the data the call returned, to check that it read the right thing. */
  summary: string;
}

/** How often the resident set size is sampled during the calls, in milliseconds. */
const rssSampleIntervalMs = 5;

async function probe(caseId: string, root: string): Promise<ProbeResult> {
  const readerCase = findReaderCase(caseId);
  const collect = globalThis.gc;
  if (collect === undefined) {
    throw new Error('cold-probe.ts needs node --expose-gc to measure the retained heap.');
  }

  collect();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const rssPeak = watchRssPeak();
  const reader = new LocalDatastoreReader({ root, logger: silentLogger });

  const coldStart = performance.now();
  const summary = await readerCase.run(reader);
  const coldMs = performance.now() - coldStart;
  const warmStart = performance.now();
  await readerCase.run(reader);
  const warmMs = performance.now() - warmStart;
  const peakRss = rssPeak.stop();

  collect();
  const retainedHeap = process.memoryUsage().heapUsed - heapBefore;
  // The reader stays reachable until here, so the heap figure includes its caches.
  void reader.description;
  return { caseId, coldMs, warmMs, peakRssGrowth: Math.max(0, peakRss - rssBefore), retainedHeap, summary };
}

/**
 * Starts following the resident set size; `stop` returns its peak since the start, in bytes.
 * `maxRSS` is the peak of the whole process, so when it grew in between, the new value is the
 * exact peak. Otherwise the peak of samples taken every few milliseconds is the best figure.
 */
function watchRssPeak(): { stop(): number } {
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, rssSampleIntervalMs);

  return {
    stop(): number {
      clearInterval(sampler);
      const maxRssAfter = process.resourceUsage().maxRSS * 1024;
      return maxRssAfter > maxRssBefore ? maxRssAfter : Math.max(sampled, process.memoryUsage().rss);
    },
  };
}

const [caseId, root] = process.argv.slice(2);
if (caseId === undefined || root === undefined || process.send === undefined) {
  console.error('Usage: forked by bench/reader.ts as cold-probe.ts <case> <folder that contains .metaflow>');
  process.exit(2);
}
const result = await probe(caseId, root);
process.send(result, () => process.exit(0));
