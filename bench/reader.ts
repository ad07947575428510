/**
 * Measures `LocalDatastoreReader` on the generated datastore. Each case (see
 * `reader/reader-cases.ts`) is timed three ways:
 *
 * - cold, new process: the first call in a fresh Node process (`reader/cold-probe.ts`), so no
 *   cache is filled and no code is compiled yet;
 * - cold, new reader: a new reader in this process, so the reader's caches are empty but the
 *   code is compiled;
 * - warm: the same call again on a reader that made it before.
 *
 * The operating system's page cache stays warm throughout: every case is run once before it is
 * measured, and dropping the cache needs root. The figures are therefore those of a bot host
 * that reads its datastore often, not of a first read from disk.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger } from '../src/logger.ts';
import { LocalDatastoreReader } from '../src/metaflow/local/local-datastore-reader.ts';
import { formatMiB, formatMs, markdownTable } from './markdown-table.ts';
import type { ProbeResult } from './reader/cold-probe.ts';
import { readerCases, type ReaderCase } from './reader/reader-cases.ts';
import { summarize, type Stats } from './stats.ts';

/** How many times each case is measured. */
export interface ReaderBenchOptions {
  /** Fresh processes per case. */
  coldProcesses: number;
  /** Calls per case for the new-reader and the warm figures. */
  repetitions: number;
}

/** Figures of one case. Times in milliseconds, memory in bytes. */
export interface CaseFigures {
  id: string;
  title: string;
  goal: ReaderCase['goal'];
  coldProcess: Stats;
  coldReader: Stats;
  warm: Stats;
  /** Resident set size growth during the calls in the fresh processes. */
  peakRssGrowth: Stats;
  /** Heap still in use after the calls and a garbage collection, in the fresh processes. */
  retainedHeap: Stats;
  /** Description of the data the call returned, from the first fresh process. */
  summary: string;
}

/** Default repetitions: enough for a stable median in a few minutes. */
export const defaultReaderBenchOptions: ReaderBenchOptions = { coldProcesses: 5, repetitions: 11 };

const benchFolder = path.dirname(fileURLToPath(import.meta.url));
const probePath = path.join(benchFolder, 'reader', 'cold-probe.ts');
/** The fresh processes run here, so that `--import tsx` finds the project's tsx. */
const repositoryRoot = path.dirname(benchFolder);
/** A fresh process that has not sent its figures after this long is stopped. */
const probeTimeoutMs = 5 * 60 * 1000;

/** Measures every case on the datastore under `root` (the folder that contains `.metaflow`). */
export async function benchReader(root: string, options: ReaderBenchOptions = defaultReaderBenchOptions, progress: (line: string) => void = () => {}): Promise<CaseFigures[]> {
  const figures: CaseFigures[] = [];
  for (const readerCase of readerCases) {
    progress(`measuring ${readerCase.id}`);
    figures.push(await measureCase(path.resolve(root), readerCase, options));
  }
  return figures;
}

async function measureCase(root: string, readerCase: ReaderCase, options: ReaderBenchOptions): Promise<CaseFigures> {
  // One call first, so that the page cache contains the files, whichever figure comes first.
  await readerCase.run(newReader(root));

  const probes: ProbeResult[] = [];
  for (let index = 0; index < options.coldProcesses; index += 1) {
    probes.push(await runProbe(readerCase.id, root));
  }

  const coldReader: number[] = [];
  for (let index = 0; index < options.repetitions; index += 1) {
    coldReader.push(await timeCall(readerCase, newReader(root)));
  }

  const reader = newReader(root);
  await readerCase.run(reader);
  const warm: number[] = [];
  for (let index = 0; index < options.repetitions; index += 1) {
    warm.push(await timeCall(readerCase, reader));
  }

  return {
    id: readerCase.id,
    title: readerCase.title,
    goal: readerCase.goal,
    coldProcess: summarize(probes.map((probe) => probe.coldMs)),
    coldReader: summarize(coldReader),
    warm: summarize(warm),
    peakRssGrowth: summarize(probes.map((probe) => probe.peakRssGrowth)),
    retainedHeap: summarize(probes.map((probe) => probe.retainedHeap)),
    summary: probes[0]?.summary ?? '',
  };
}

function newReader(root: string): LocalDatastoreReader {
  return new LocalDatastoreReader({ root, logger: silentLogger });
}

async function timeCall(readerCase: ReaderCase, reader: LocalDatastoreReader): Promise<number> {
  const started = performance.now();
  await readerCase.run(reader);
  return performance.now() - started;
}

/** Runs one case in a fresh Node process and returns what it measured. */
function runProbe(caseId: string, root: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(probePath, [caseId, root], { cwd: repositoryRoot, execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: ProbeResult | undefined;
    const timer = setTimeout(() => child.kill(), probeTimeoutMs);
    child.on('message', (message) => {
      result = message as ProbeResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result === undefined) {
        reject(new Error(`The cold probe for ${caseId} exited with ${signal ?? `code ${code}`} before it sent its figures.`));
      } else {
        resolve(result);
      }
    });
  });
}

/** Formats the figures as a Markdown table: median, then the range of the samples. */
export function formatReaderTable(figures: readonly CaseFigures[]): string {
  const headers = ['read', 'cold, new process', 'cold, new reader', 'warm', 'goal', 'RSS growth (peak)', 'heap kept', 'result'];
  const rows = figures.map((figure) => [
    figure.title,
    formatTimes(figure.coldProcess),
    formatTimes(figure.coldReader),
    formatTimes(figure.warm),
    formatGoal(figure),
    formatMiB(figure.peakRssGrowth.median),
    formatMiB(figure.retainedHeap.median),
    figure.summary,
  ]);
  return markdownTable(headers, rows);
}

function formatTimes(stats: Stats): string {
  return `${formatMs(stats.median)} (${formatMs(stats.min)}–${formatMs(stats.max)})`;
}

/** Describes the goals and whether the medians meet them. */
function formatGoal(figure: CaseFigures): string {
  const parts: string[] = [];
  if (figure.goal.coldMs !== undefined) {
    parts.push(`cold ≤ ${formatMs(figure.goal.coldMs)}: ${figure.coldProcess.median <= figure.goal.coldMs ? 'met' : '**missed**'}`);
  }
  if (figure.goal.warmMs !== undefined) {
    parts.push(`warm ≤ ${formatMs(figure.goal.warmMs)}: ${figure.warm.median <= figure.goal.warmMs ? 'met' : '**missed**'}`);
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
}

// `tsx bench/reader.ts <root>` runs this benchmark alone and prints its table.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.argv[2];
  if (root === undefined) {
    console.error('Usage: tsx bench/reader.ts <folder that contains .metaflow>');
    process.exit(2);
  }
  console.log(formatReaderTable(await benchReader(root, defaultReaderBenchOptions, (line) => console.error(line))));
}
