import { beforeAll, describe, expect, it } from 'vitest';
import { planRunsExport } from '../../src/export/runs-table.ts';
import { CraftedReader, type RunChanges } from './crafted-reader.ts';
import { environmentFor, exportText, fixtureReader } from './export-support.ts';
import { readCsv } from './read-csv.ts';

const hyperlink = '=HYPERLINK("http://127.0.0.1/","click")';
const changes = new Map<string, RunChanges>([
  ['HelloFlow/1796413131842466', { userTags: ['=1+1'], parameters: { label: hyperlink } }],
  ['HelloFlow/1796413130413220', { userTags: ['@here'], parameters: { label: '+cmd|calc' } }],
  ['HelloFlow/1796413129016528', { userTags: ['-x'], parameters: { label: '-cmd', alpha: -0.5 } }],
  ['HelloFlow/1796413127686472', { parameters: { label: '@SUM(A1)', epochs: '-0.5' } }],
  ['HelloFlow/1796413126266893', { parameters: { label: '\tTAB', config: null } }],
]);

/** The CSV cells of each run, by run id and column label. */
let cells: Map<string, Map<string, string>>;
let csvText: string;
let jsonRows: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  const reader = new CraftedReader(fixtureReader(), changes);
  const table = await planRunsExport(environmentFor(reader), { runspec: { kind: 'runs', flow: 'HelloFlow', user: null, tags: [] }, limit: null });
  csvText = (await exportText(table, 'csv', true)).text;
  const document = JSON.parse((await exportText(table, 'json')).text) as { rows: Record<string, unknown>[] };

  const [header = [], ...records] = readCsv(csvText);
  cells = new Map(records.map((record) => [record[0] ?? '', new Map(header.map((label, index) => [label, record[index] ?? '']))]));
  jsonRows = new Map(document.rows.map((row) => [row['id'] as string, row]));
});

function cell(runId: string, column: string): string | undefined {
  return cells.get(runId)?.get(column);
}

describe('CSV formula neutralization', () => {
  it.each([
    ['1796413131842466', `'${hyperlink}`],
    ['1796413130413220', "'+cmd|calc"],
    ['1796413129016528', "'-cmd"],
    ['1796413127686472', "'@SUM(A1)"],
    ['1796413126266893', "'\tTAB"],
  ])('prefixes the label of %s', (runId, expected) => {
    expect(cell(runId, 'param.label')).toBe(expected);
  });

  it('keeps a negative float', () => {
    expect(cell('1796413129016528', 'param.alpha')).toBe('-0.5');
  });

  it('keeps a numeric label', () => {
    expect(cell('1796413127686472', 'param.epochs')).toBe('-0.5');
  });

  it('keeps a negative int', () => {
    expect(cell('1796413131842466', 'param.epochs')).toBe('-3');
  });

  it('writes a null parameter as null', () => {
    expect(cell('1796413126266893', 'param.config')).toBe('null');
  });

  it.each([
    ['1796413131842466', '=1+1'],
    ['1796413130413220', '@here'],
    ['1796413129016528', '-x'],
  ])('keeps tag lists as JSON text for %s', (runId, tag) => {
    const text = cell(runId, 'userTags') ?? '';
    expect(text.startsWith('[')).toBe(true);
    expect(JSON.parse(text)).toContain(tag);
  });
});

describe('JSON export of crafted values', () => {
  it('keeps the exact label', () => {
    expect((jsonRows.get('1796413131842466')?.['parameters'] as Record<string, unknown>)['label']).toBe(hyperlink);
  });

  it('keeps the exact tag', () => {
    expect(jsonRows.get('1796413130413220')?.['userTags']).toContain('@here');
  });
});

describe('CSV of fixture text', () => {
  it.each([
    ['1796413091695377', '<!channel> hi @here'],
    ['1796413079898033', 'résumé 🚀'],
    ['1796413084563023', "with spaces and 'quotes'"],
    ['1796413115203743', '`backticks` and *stars*'],
    ['1796413104271025', ''],
  ])('keeps the label of %s', (runId, label) => {
    expect(cell(runId, 'param.label')).toBe(label);
  });

  it('keeps a tag that looks like a system tag', () => {
    expect(JSON.parse(cell('1796413101400502', 'userTags') ?? '[]')).toContain('user:mallory');
  });

  it('keeps a non-ASCII tag', () => {
    expect(JSON.parse(cell('1796413109658009', 'userTags') ?? '[]')).toContain('équipe-🚀');
  });

  it('starts with a byte order mark', () => {
    expect([...Buffer.from(csvText, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('ends records with CRLF', () => {
    expect(csvText.endsWith('\r\n')).toBe(true);
  });
});
