/**
 * Runs every benchmark and prints its figures as Markdown tables: `npm run bench`.
 *
 * - `--write` also replaces the generated tables in `docs/performance.md`, between
 *   `<!-- generated:<name>:start -->` and `<!-- generated:<name>:end -->`.
 * - `--only reader,export` runs only the named benchmarks (`reader`, `export`, `service`, `commands`, `slack`).
 *
 * The reader and export benchmarks need the benchmark datastore. The first run generates it into
 * `bench/.data/` (see `generate-datastore.ts`), which takes minutes, and later runs reuse it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { updateDocSections } from '../src/machines/state-machine-doc.ts';
import { benchExport, type ExportBenchResult } from './export.ts';
import { defaultDatastoreFolder, ensureBenchDatastore, fullSizes, type BenchDatastore } from './generate-datastore.ts';
import { formatMachineTable, readMachineInfo } from './machine-info.ts';
import { formatMiB, formatMs, markdownTable } from './markdown-table.ts';
import { benchReader, defaultReaderBenchOptions, formatReaderTable } from './reader.ts';
import { benchService, formatServiceTable } from './service.ts';
import { benchServiceCommands, formatServiceCommandsTable } from './service-commands.ts';
import { benchSlackThreads, formatSlackThreadsTable } from './slack-threads.ts';

/** One benchmark: `run` measures and returns its Markdown table. */
interface Benchmark {
  /** Name in `--only` and in the generated block `bench-<name>`. */
  name: string;
  title: string;
  needsDatastore: boolean;
  run(datastore: BenchDatastore | null): Promise<string>;
}

/** One generated block of `docs/performance.md`, by its marker name. */
interface GeneratedSection {
  marker: string;
  title: string;
  markdown: string;
}

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const performanceDocPath = path.join(repositoryRoot, 'docs', 'performance.md');
const usage = 'Usage: npm run bench [-- [--write] [--only reader,export,service,commands,slack]]';

const progress = (line: string): void => console.error(line);

const benchmarks: readonly Benchmark[] = [
  {
    name: 'reader',
    title: 'Reading the local datastore',
    needsDatastore: true,
    run: async (datastore) => formatReaderTable(await benchReader(requireRoot(datastore), defaultReaderBenchOptions, progress)),
  },
  {
    name: 'export',
    title: 'Exporting runs',
    needsDatastore: true,
    run: async (datastore) => formatExportTable(await benchExport(requireRoot(datastore))),
  },
  { name: 'service', title: 'Metadata service', needsDatastore: false, run: async () => formatServiceTable(await benchService()) },
  { name: 'commands', title: 'Metadata service, per command', needsDatastore: false, run: async () => formatServiceCommandsTable(await benchServiceCommands()) },
  { name: 'slack', title: 'Slack threads', needsDatastore: false, run: async () => formatSlackThreadsTable(await benchSlackThreads()) },
];

async function main(argv: readonly string[]): Promise<void> {
  const { write, selected } = parseArguments(argv);
  const machine = formatMachineTable(readMachineInfo());

  let datastore: BenchDatastore | null = null;
  if (selected.some((benchmark) => benchmark.needsDatastore)) {
    progress(`preparing the benchmark datastore in ${defaultDatastoreFolder} (the first run generates it, which takes minutes)`);
    datastore = ensureBenchDatastore(defaultDatastoreFolder, fullSizes, progress);
  }
  const sections: GeneratedSection[] = [{ marker: 'bench-machine', title: 'Machine and data', markdown: describeSetup(machine, datastore) }];
  printSection(sections[0] as GeneratedSection);

  const failed: string[] = [];
  for (const benchmark of selected) {
    progress(`running the ${benchmark.name} benchmark`);
    try {
      const section = { marker: `bench-${benchmark.name}`, title: benchmark.title, markdown: await benchmark.run(datastore) };
      printSection(section);
      sections.push(section);
    } catch (error) {
      // One broken benchmark should not cost the figures of the others.
      console.error(`The ${benchmark.name} benchmark failed, so its table is left as it was:`, error);
      failed.push(benchmark.name);
    }
  }

  if (write) {
    writeSections(sections);
  }
  if (failed.length > 0) {
    console.error(`Failed benchmarks: ${failed.join(', ')}.`);
    process.exitCode = 1;
  }
}

function printSection(section: GeneratedSection): void {
  console.log(`### ${section.title}\n\n${section.markdown}\n`);
}

function parseArguments(argv: readonly string[]): { write: boolean; selected: Benchmark[] } {
  let write = false;
  let selected = [...benchmarks];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--write') {
      write = true;
    } else if (argument === '--only' && argv[index + 1] !== undefined) {
      const names = (argv[index + 1] as string).split(',');
      selected = names.map(findBenchmark);
      index += 1;
    } else {
      console.error(`Invalid argument ${JSON.stringify(argument)}. ${usage}`);
      process.exit(2);
    }
  }
  return { write, selected };
}

function findBenchmark(name: string): Benchmark {
  const found = benchmarks.find((benchmark) => benchmark.name === name);
  if (found === undefined) {
    console.error(`There is no benchmark named ${JSON.stringify(name)}. Valid names: ${benchmarks.map((benchmark) => benchmark.name).join(', ')}.`);
    process.exit(2);
  }
  return found;
}

function requireRoot(datastore: BenchDatastore | null): string {
  if (datastore === null) {
    throw new Error('This benchmark needs the benchmark datastore, which was not prepared.');
  }
  return datastore.root;
}

/** Describes the machine, the commit and, when one was prepared, the generated datastore. */
function describeSetup(machineTable: string, datastore: BenchDatastore | null): string {
  const measured = `Measured on ${new Date().toISOString().slice(0, 10)} at commit \`${currentCommit()}\`.`;
  if (datastore === null) {
    return `${measured}\n\n${machineTable}`;
  }

  const { manifest } = datastore;
  const count = (value: number): string => value.toLocaleString('en-US');
  const dataTable = markdownTable(
    ['datastore', ''],
    [
      ['cases', `${count(manifest.sizes.runs)} runs; a foreach of ${count(manifest.sizes.foreachWidth)} tasks; a ${count(manifest.sizes.logLines)}-line log; a list of ${count(manifest.sizes.artifactItems)} floats`],
      ['files and folders', count(manifest.entries)],
      ['size', `${formatMiB(manifest.bytes)} of file content, ${(manifest.diskBytes / 1024 ** 3).toFixed(1)} GiB on disk`],
      ['generated in', `${Math.round(manifest.generationSeconds)} s`],
    ],
  );
  return `${measured}\n\n${machineTable}\n\n${dataTable}`;
}

function currentCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Formats `benchExport`'s figures, one row per format. */
function formatExportTable(result: ExportBenchResult): string {
  const rows = result.exports.map((figures) => [
    figures.format,
    figures.rows.toLocaleString('en-US'),
    formatMiB(figures.bytes),
    formatMs(figures.seconds * 1000),
    Math.round(figures.rowsPerSecond).toLocaleString('en-US'),
    `${figures.peakHeapMiB.toFixed(1)} MiB (from ${figures.startHeapMiB.toFixed(1)} MiB)`,
    `${figures.peakRssMiB.toFixed(1)} MiB`,
  ]);
  const table = markdownTable(['format', 'rows', 'size', 'time', 'rows per second', 'peak heap', 'peak RSS'], rows);
  return `${result.flow}, ${result.runFolders.toLocaleString('en-US')} run folders, each format with a new reader:\n\n${table}`;
}

/** Replaces the generated blocks that `docs/performance.md` has, and names those it lacks. */
function writeSections(sections: readonly GeneratedSection[]): void {
  const document = readFileSync(performanceDocPath, 'utf8');
  const present = sections.filter((section) => document.includes(`<!-- generated:${section.marker}:start -->`));
  for (const missing of sections.filter((section) => !present.includes(section))) {
    console.error(`docs/performance.md has no <!-- generated:${missing.marker}:start --> block, so the "${missing.title}" table was only printed.`);
  }
  const contents = Object.fromEntries(present.map((section) => [section.marker, `${section.markdown}\n`]));
  writeFileSync(performanceDocPath, updateDocSections(document, contents));
  console.error(`updated ${present.map((section) => section.marker).join(', ')} in docs/performance.md`);
}

await main(process.argv.slice(2));
