import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { drainChunks } from '../src/export/drain-chunks.ts';
import type { ExportEnvironment } from '../src/export/export-table.ts';
import { planRunsExport } from '../src/export/runs-table.ts';
import { writeExport } from '../src/export/write-export.ts';
import { silentLogger } from '../src/logger.ts';
import type { ExportFormat } from '../src/machines/thread-events.ts';
import { LocalDatastoreReader } from '../src/metaflow/local/local-datastore-reader.ts';

/** Figures of one export of a flow's runs. */
export interface ExportFigures {
  format: ExportFormat;
  rows: number;
  /** Size of the export text, in bytes of UTF-8. */
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Largest V8 heap in use while the export ran, in MiB (sampled every 20 ms). */
  peakHeapMiB: number;
  /** Largest resident set size while the export ran, in MiB (sampled every 20 ms). */
  peakRssMiB: number;
  /** Heap in use just before the export started, in MiB. */
  startHeapMiB: number;
}

/** Figures of `benchExport`: the flow, its run count and one entry per format. */
export interface ExportBenchResult {
  flow: string;
  runFolders: number;
  exports: ExportFigures[];
}

/** How often memory is sampled, in milliseconds. */
const sampleIntervalMs = 20;
const mebibyte = 1024 * 1024;

/**
 * Exports every run of the flow with the most run folders under `root` (the folder that contains
 * `.metaflow`) as CSV, then as JSON, each with a fresh reader so no cache carries over. The
 * text goes to a byte counter, as a command writing to a file would pass it on.
 */
export async function benchExport(root: string): Promise<ExportBenchResult> {
  const { flow, runFolders } = await findLargestFlow(root);
  const exports: ExportFigures[] = [];
  for (const format of ['csv', 'json'] as const) {
    exports.push(await measureExport(root, flow, format));
  }
  return { flow, runFolders, exports };
}

async function findLargestFlow(root: string): Promise<{ flow: string; runFolders: number }> {
  const datastore = path.join(root, '.metaflow');
  let largest = { flow: '', runFolders: -1 };
  for (const flow of await readdir(datastore)) {
    const entries = await readdir(path.join(datastore, flow)).catch(() => []);
    const runFolders = entries.filter((name) => /^\d+$/.test(name)).length;
    if (runFolders > largest.runFolders) {
      largest = { flow, runFolders };
    }
  }
  if (largest.runFolders < 0) {
    throw new Error(`No flow found in ${datastore}.`);
  }
  return largest;
}

async function measureExport(root: string, flow: string, format: ExportFormat): Promise<ExportFigures> {
  const reader = new LocalDatastoreReader({ root, logger: silentLogger });
  const environment: ExportEnvironment = { reader, now: Date.now(), staleAfterMs: 3_600_000, botVersion: 'bench', sourceLabel: null };
  const startHeap = process.memoryUsage().heapUsed;
  const peak = { heap: startHeap, rss: process.memoryUsage().rss };
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peak.heap = Math.max(peak.heap, usage.heapUsed);
    peak.rss = Math.max(peak.rss, usage.rss);
  }, sampleIntervalMs);

  const started = performance.now();
  let bytes = 0;
  try {
    const table = await planRunsExport(environment, { runspec: { kind: 'runs', flow, user: null, tags: [] }, limit: null });
    const rows = await drainChunks(writeExport(table, format, { bom: true }), (chunk) => {
      bytes += Buffer.byteLength(chunk);
    });
    const seconds = (performance.now() - started) / 1_000;
    return {
      format,
      rows,
      bytes,
      seconds,
      rowsPerSecond: rows / seconds,
      peakHeapMiB: peak.heap / mebibyte,
      peakRssMiB: peak.rss / mebibyte,
      startHeapMiB: startHeap / mebibyte,
    };
  } finally {
    clearInterval(sampler);
  }
}

// `tsx bench/export.ts <root>` runs the bench alone and prints its figures as JSON.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2];
  if (root === undefined) {
    console.error('Usage: tsx bench/export.ts <folder that contains .metaflow>');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchExport(root), null, 2));
}
