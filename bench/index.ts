/**
 * Runs every benchmark and prints its figures as Markdown tables: `npm run bench`. With
 * `--write` (`npm run bench -- --write`) it also replaces the generated tables in
 * `docs/performance.md`, between `<!-- generated:<name>:start -->` and `<!-- generated:<name>:end -->`.
 *
 * The first run generates the benchmark datastore into `bench/.data/` (see
 * `generate-datastore.ts`), which takes a while; later runs reuse it.
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

/** One generated block of `docs/performance.md`, by its marker name. */
interface GeneratedSection {
  name: string;
  title: string;
  markdown: string;
}

const repositoryRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const performanceDocPath = path.join(repositoryRoot, 'docs', 'performance.md');

const progress = (line: string): void => console.error(line);

async function main(argv: readonly string[]): Promise<void> {
  const unknown = argv.filter((argument) => argument !== '--write');
  if (unknown.length > 0) {
    console.error(`Invalid argument ${unknown.join(' ')}: the only option is --write. Usage: npm run bench [-- --write]`);
    process.exit(2);
  }

  progress(`preparing the benchmark datastore in ${defaultDatastoreFolder} (the first run generates it, which takes minutes)`);
  const datastore = ensureBenchDatastore(defaultDatastoreFolder, fullSizes, progress);
  const sections: GeneratedSection[] = [{ name: 'bench-machine', title: 'Machine and data', markdown: describeSetup(datastore) }];

  progress('reading the local datastore');
  const readerFigures = await benchReader(datastore.root, defaultReaderBenchOptions, progress);
  sections.push({ name: 'bench-reader', title: 'Reading the local datastore', markdown: formatReaderTable(readerFigures) });

  progress('exporting the runs of the flow with the most runs');
  sections.push({ name: 'bench-export', title: 'Exporting runs', markdown: formatExportTable(await benchExport(datastore.root)) });

  progress('asking the metadata service contract server on loopback');
  sections.push({ name: 'bench-service', title: 'Reading through the metadata service', markdown: formatServiceTable(await benchService()) });

  for (const section of sections) {
    console.log(`### ${section.title}\n\n${section.markdown}\n`);
  }
  if (argv.includes('--write')) {
    writeSections(sections);
  }
}

/** Describes the machine, the commit and the generated datastore. */
function describeSetup(datastore: BenchDatastore): string {
  const { manifest } = datastore;
  const dataTable = markdownTable(
    ['datastore', ''],
    [
      ['cases', `${manifest.sizes.runs.toLocaleString('en-US')} runs; a foreach of ${manifest.sizes.foreachWidth.toLocaleString('en-US')} tasks; a ${manifest.sizes.logLines.toLocaleString('en-US')}-line log; a list of ${manifest.sizes.artifactItems.toLocaleString('en-US')} floats`],
      ['files and folders', manifest.entries.toLocaleString('en-US')],
      ['size', `${formatMiB(manifest.bytes)} of file content, ${formatMiB(manifest.diskBytes)} on disk`],
      ['generated in', formatMs(manifest.generationSeconds * 1000)],
    ],
  );
  const measured = `Measured on ${new Date().toISOString().slice(0, 10)} at commit \`${currentCommit()}\`.`;
  return `${measured}\n\n${formatMachineTable(readMachineInfo())}\n\n${dataTable}`;
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
  const present = sections.filter((section) => document.includes(`<!-- generated:${section.name}:start -->`));
  for (const missing of sections.filter((section) => !present.includes(section))) {
    console.error(`docs/performance.md has no <!-- generated:${missing.name}:start --> block, so the ${missing.title} table was only printed.`);
  }
  const contents = Object.fromEntries(present.map((section) => [section.name, `${section.markdown}\n`]));
  writeFileSync(performanceDocPath, updateDocSections(document, contents));
  console.error(`updated ${present.map((section) => section.name).join(', ')} in docs/performance.md`);
}

await main(process.argv.slice(2));
