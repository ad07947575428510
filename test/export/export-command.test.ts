import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExportCommand, type ExportCommandIo } from '../../src/export/export-command.ts';
import { silentLogger } from '../../src/logger.ts';
import type { MetaflowReader } from '../../src/metaflow/reader.ts';
import { BrokenPathspecReader } from './broken-pathspec-reader.ts';
import { SwapOnListRunsReader } from './swap-on-list-runs-reader.ts';
import { exportSchemaErrors, exportTime, fixtureReader, staleAfterMs } from './export-support.ts';
import { readCsv } from './read-csv.ts';

/** A stream that keeps what is written to it. */
class TextSink extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

let reader: MetaflowReader;
let folder: string;
let stdout: TextSink;
let stderr: TextSink;

beforeAll(() => {
  reader = fixtureReader();
});

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'metaflowbot-export-'));
  stdout = new TextSink();
  stderr = new TextSink();
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function run(args: string[], source: MetaflowReader = reader): Promise<number> {
  const io: ExportCommandIo = {
    reader: source,
    stdout,
    stderr,
    now: () => exportTime,
    staleAfterMs,
    logger: silentLogger,
    botVersion: '9.8.7-test',
    sourceLabel: null,
  };
  return runExportCommand(args, io);
}

function stderrLines(): string[] {
  return stderr.text.split('\n').filter((line) => line !== '');
}

describe('export command output', () => {
  it('writes a CSV file', async () => {
    const out = path.join(folder, 'runs.csv');
    expect(await run(['HelloFlow', '--format', 'csv', '--out', out])).toBe(0);
    expect(readCsv(await readFile(out, 'utf8')).length).toBe(41);
    expect(stderrLines()).toEqual([`Exported 40 runs of HelloFlow as CSV to ${out}.`]);
  });

  it('leaves no temporary file', async () => {
    await run(['HelloFlow', '--out', path.join(folder, 'runs.csv')]);
    expect(await readdir(folder)).toEqual(['runs.csv']);
  });

  it('writes JSON to stdout', async () => {
    expect(await run(['HelloFlow', '--format', 'json', '--limit', '5'])).toBe(0);
    const document = JSON.parse(stdout.text) as { rowCount: number };
    expect(document.rowCount).toBe(5);
    expect(exportSchemaErrors(document)).toEqual([]);
  });

  it('takes the format from the file name', async () => {
    const out = path.join(folder, 'runs.json');
    await run(['BranchFlow', '--out', out]);
    expect((JSON.parse(await readFile(out, 'utf8')) as { kind: string }).kind).toBe('runs');
  });

  it('applies --user and --tag', async () => {
    await run(['HelloFlow', '--user', 'alice', '--tag', 'prod', '--format', 'json']);
    const document = JSON.parse(stdout.text) as { rows: { user: string; userTags: string[] }[] };
    expect(document.rows.map((row) => row.user)).toEqual(['alice', 'alice', 'alice']);
    expect(document.rows.every((row) => row.userTags.includes('prod'))).toBe(true);
  });

  it('reads a runspec with filters', async () => {
    await run(["alice's", 'HelloFlow', 'tagged', 'prod', '--format', 'json']);
    expect((JSON.parse(stdout.text) as { rowCount: number }).rowCount).toBe(3);
  });

  it('exports the tasks of a run', async () => {
    expect(await run(['FailFlow/1796413159306796', '--tasks', '--format', 'json'])).toBe(0);
    const document = JSON.parse(stdout.text) as { kind: string; rowCount: number };
    expect(document.kind).toBe('tasks');
    expect(document.rowCount).toBe(4);
  });

  it('exports the tasks of the latest run', async () => {
    expect(await run(['the', 'latest', 'run', 'of', 'SleepyFlow', '--tasks', '--format', 'json'])).toBe(0);
    expect((JSON.parse(stdout.text) as { header: { run: string } }).header.run).toBe('SleepyFlow/1796413172895082');
  });

  it('starts CSV with a byte order mark', async () => {
    await run(['BranchFlow']);
    expect(stdout.text.startsWith('\ufeffid,')).toBe(true);
  });

  it('leaves out the mark with --no-bom', async () => {
    await run(['BranchFlow', '--no-bom']);
    expect(stdout.text.startsWith('id,')).toBe(true);
  });

  it('replaces an existing file', async () => {
    const out = path.join(folder, 'runs.csv');
    await writeFile(out, 'old');
    await run(['BranchFlow', '--out', out]);
    expect(await readFile(out, 'utf8')).toContain('BranchFlow/1796413156064367');
  });

  it('prints help', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(stdout.text).toContain('Usage: metaflowbot export <runspec> [options]');
  });
});

describe('export command output path', () => {
  /** Builds the message for an `--out` that exists and is not a regular file of the given kind. */
  function notRegularFile(out: string, kind: string): string {
    return `Invalid --out ${out}: it is ${kind}, but the export writes only regular files, so name a regular file or a new path.`;
  }

  it('rejects a symbolic link', async () => {
    const target = path.join(folder, 'target.csv');
    const out = path.join(folder, 'link.csv');
    await writeFile(target, 'old');
    await symlink(target, out);

    expect(await run(['HelloFlow', '--out', out])).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a symbolic link')]);
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(folder)).sort()).toEqual(['link.csv', 'target.csv']);
  });

  it('rejects a dangling symbolic link', async () => {
    const out = path.join(folder, 'link.csv');
    await symlink(path.join(folder, 'missing.csv'), out);

    expect(await run(['HelloFlow', '--out', out])).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a symbolic link')]);
    expect(await readdir(folder)).toEqual(['link.csv']);
  });

  it('rejects a FIFO', async () => {
    const out = path.join(folder, 'pipe.csv');
    execFileSync('mkfifo', [out]);

    expect(await run(['HelloFlow', '--out', out])).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a FIFO (named pipe)')]);
    expect((await lstat(out)).isFIFO()).toBe(true);
    expect(await readdir(folder)).toEqual(['pipe.csv']);
  });

  it('rejects a directory', async () => {
    const out = path.join(folder, 'taken');
    await mkdir(out);

    expect(await run(['HelloFlow', '--out', out])).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a directory')]);
    expect(await readdir(out)).toEqual([]);
    expect(await readdir(folder)).toEqual(['taken']);
  });

  it('checks the path before reading flows', async () => {
    const out = path.join(folder, 'link.csv');
    await symlink(path.join(folder, 'target.csv'), out);

    expect(await run(['Helloflw', '--out', out])).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a symbolic link')]);
  });

  it('rejects a link made during the export', async () => {
    const target = path.join(folder, 'target.csv');
    const out = path.join(folder, 'runs.csv');
    await writeFile(target, 'old');
    const swapping = new SwapOnListRunsReader(reader, () => symlink(target, out));

    expect(await run(['HelloFlow', '--out', out], swapping)).toBe(2);
    expect(stderrLines()).toEqual([notRegularFile(out, 'a symbolic link')]);
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(folder)).sort()).toEqual(['runs.csv', 'target.csv']);
  });
});

describe('export command errors', () => {
  it.each([
    [['HelloFlow', '--format', 'xml'], 'Unknown format "xml"; use --format csv or --format json.'],
    [['HelloFlow', '--bogus'], 'Unknown option --bogus; run `metaflowbot export --help` to list the options.'],
    [['HelloFlow', '--limit', '0'], 'Invalid --limit "0"; it must be a whole number of runs, 1 or more.'],
    [['HelloFlow', '--limit'], 'Option --limit is missing its value or takes none; run `metaflowbot export --help` for its use.'],
    [['--format', 'csv'], 'Missing runspec: name a flow, e.g. `metaflowbot export HelloFlow --format csv`.'],
    [['HelloFlow', '--tasks'], '--tasks needs one run: give a pathspec (HelloFlow/1234) or "the latest run of HelloFlow".'],
    [['HelloFlow/1', '--user', 'bob'], 'A run given by its pathspec cannot be filtered by --user or --tag.'],
    [["alice's", 'HelloFlow', '--user', 'bob'], 'The runspec names user alice but --user names bob; give one of them.'],
    [['HelloFlow/1', '--limit', '3'], '--limit applies to a list of runs, but the runspec names one run.'],
  ])('rejects %j', async (args, message) => {
    expect(await run(args)).toBe(2);
    expect(stderrLines()).toEqual([message]);
  });

  it('rejects an unknown flow', async () => {
    expect(await run(['Helloflw'])).toBe(1);
    expect(stderrLines()).toEqual([`There is no flow named Helloflw in the ${reader.description}. Did you mean HelloFlow?`]);
  });

  it('rejects a missing run', async () => {
    expect(await run(['HelloFlow/1', '--tasks'])).toBe(1);
    expect(stderrLines()).toEqual(['Run HelloFlow/1 was not found.']);
  });

  it('rejects a missing folder', async () => {
    const out = path.join(folder, 'missing', 'runs.csv');
    expect(await run(['HelloFlow', '--out', out])).toBe(1);
    expect(stderrLines()).toEqual([`Cannot write ${out}: the folder ${path.dirname(out)} does not exist.`]);
  });


  it('writes no file on a schema failure', async () => {
    const out = path.join(folder, 'runs.csv');
    expect(await run(['BranchFlow', '--out', out], new BrokenPathspecReader(reader))).toBe(1);
    expect(await readdir(folder)).toEqual([]);
  });

  it('keeps the old file on a schema failure', async () => {
    const out = path.join(folder, 'runs.csv');
    await writeFile(out, 'old');
    await run(['BranchFlow', '--out', out], new BrokenPathspecReader(reader));
    expect(await readFile(out, 'utf8')).toBe('old');
  });

  it('explains a schema failure on stdout', async () => {
    expect(await run(['BranchFlow', '--format', 'json'], new BrokenPathspecReader(reader))).toBe(1);
    expect(stderrLines()).toEqual([
      'The export failed a check against its schema, so it was stopped; this is a bug in metaflowbot and the log has the details. ' +
        'The output on stdout is incomplete.',
    ]);
  });
});
