/**
 * Generates the benchmark datastore: a synthetic `.metaflow` folder in the layout Metaflow
 * 2.19.38's local metadata provider and local datastore write, large enough to measure the
 * reader on. It contains these cases:
 *
 * - `ManyRunsFlow`: a linear flow with many runs (10,000 by default);
 * - `WideForeachFlow`: a finished and an unfinished run whose foreach has many tasks (10,000
 *   by default);
 * - `LargeTaskFlow`: one task with a long stdout log (20,000 lines by default) and a list
 *   artifact of many floats (100,000 by default).
 *
 * The data is the same on every run (seeded), is generated once into `bench/.data/` and is
 * reused while its manifest matches the requested sizes and this generator's version.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeLargeTaskFlow } from './datastore/large-task-flow.ts';
import { writeManyRunsFlow } from './datastore/many-runs-flow.ts';
import type { GenerationTarget } from './datastore/run-records.ts';
import { writeWideForeachFlow } from './datastore/wide-foreach-flow.ts';

/** Sizes of the generated cases. */
export interface DatastoreSizes {
  /** Runs of `ManyRunsFlow`. */
  runs: number;
  /** Foreach tasks of the `WideForeachFlow` run. */
  foreachWidth: number;
  /** Lines of the `LargeTaskFlow` start task's stdout. */
  logLines: number;
  /** Floats in the `LargeTaskFlow` start task's `predictions` list. */
  artifactItems: number;
}

/** Contents of `manifest.json`, which is written once a generation is complete. */
export interface DatastoreManifest {
  generatorVersion: number;
  sizes: DatastoreSizes;
  /** Files and folders under `.metaflow`. */
  entries: number;
  /** Sum of the file sizes, in bytes. */
  bytes: number;
  /** Space the files take on disk (allocated blocks), in bytes. */
  diskBytes: number;
  generationSeconds: number;
}

/** A generated datastore, ready to read. */
export interface BenchDatastore {
  /** The folder that contains `.metaflow`, as `LocalDatastoreReader` takes it. */
  root: string;
  manifest: DatastoreManifest;
  /** False when an earlier generation was reused. */
  generated: boolean;
}

/** The sizes the benchmarks are defined for. */
export const fullSizes: DatastoreSizes = { runs: 10_000, foreachWidth: 10_000, logLines: 20_000, artifactItems: 100_000 };

/** Raise this when the generated files change, so that older data is generated again. */
const generatorVersion = 2;

const manifestName = 'manifest.json';

/** Default place of the benchmark datastore: `bench/.data/datastore`, which git ignores. */
export const defaultDatastoreFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), '.data', 'datastore');

/**
 * Returns the datastore in `folder`, generating it first when it is missing, incomplete, or
 * of other sizes or an older generator. The files are written into `<folder>.partial` and
 * moved into place only when complete, so an interrupted generation is never reused.
 * `progress` receives one line per case.
 */
export function ensureBenchDatastore(folder: string = defaultDatastoreFolder, sizes: DatastoreSizes = fullSizes, progress: (line: string) => void = () => {}): BenchDatastore {
  const root = path.resolve(folder);
  const existing = readManifest(root);
  if (existing !== null && existing.generatorVersion === generatorVersion && sameSizes(existing.sizes, sizes)) {
    return { root, manifest: existing, generated: false };
  }

  const partial = `${root}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const started = performance.now();
  writeCases({ datastore: path.join(partial, '.metaflow'), recordedDatastore: path.join(root, '.metaflow') }, sizes, progress);
  const generationSeconds = (performance.now() - started) / 1000;

  const manifest: DatastoreManifest = { generatorVersion, sizes, ...measureFolder(path.join(partial, '.metaflow')), generationSeconds };
  writeFileSync(path.join(partial, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return { root, manifest, generated: true };
}

function writeCases(target: GenerationTarget, sizes: DatastoreSizes, progress: (line: string) => void): void {
  progress(`writing LargeTaskFlow: ${sizes.logLines} log lines, ${sizes.artifactItems} list items`);
  writeLargeTaskFlow(target, { logLines: sizes.logLines, artifactItems: sizes.artifactItems });
  progress(`writing WideForeachFlow: ${sizes.foreachWidth} foreach tasks`);
  writeWideForeachFlow(target, sizes.foreachWidth);
  progress(`writing ManyRunsFlow: ${sizes.runs} runs`);
  writeManyRunsFlow(target, sizes.runs);
}

function readManifest(root: string): DatastoreManifest | null {
  const file = path.join(root, manifestName);
  if (!existsSync(file) || !existsSync(path.join(root, '.metaflow'))) {
    return null;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DatastoreManifest;
  } catch {
    return null;
  }
}

function sameSizes(left: DatastoreSizes, right: DatastoreSizes): boolean {
  return left.runs === right.runs && left.foreachWidth === right.foreachWidth && left.logLines === right.logLines && left.artifactItems === right.artifactItems;
}

/** Counts the entries under `folder` with their sizes and allocated space. */
function measureFolder(folder: string): Pick<DatastoreManifest, 'entries' | 'bytes' | 'diskBytes'> {
  const totals = { entries: 0, bytes: 0, diskBytes: 0 };
  const pending = [folder];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const entryPath = path.join(current, entry.name);
      const stats = lstatSync(entryPath);
      totals.entries += 1;
      totals.diskBytes += stats.blocks * 512;
      if (entry.isDirectory()) {
        pending.push(entryPath);
      } else {
        totals.bytes += stats.size;
      }
    }
  }
  return totals;
}

// `tsx bench/generate-datastore.ts [folder]` generates (or checks) the datastore alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const datastore = ensureBenchDatastore(process.argv[2] ?? defaultDatastoreFolder, fullSizes, (line) => console.error(line));
  console.log(JSON.stringify({ root: datastore.root, generated: datastore.generated, ...datastore.manifest }, null, 2));
}
