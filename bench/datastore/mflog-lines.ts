import type { SeededRandom } from './seeded-random.ts';

/** One line a task printed, and when, in epoch milliseconds with a fraction for microseconds. */
export interface PrintedLine {
  text: string;
  at: number;
}

/**
 * Writes a log file as Metaflow's local runtime stores it: one
 * `[MFLOG|0|<UTC time>Z|runtime|<uuid4>]<text>\n` line per printed line, with the time to the
 * microsecond. No lines give an empty file, as for a task that printed nothing on a stream.
 */
export function formatMflogLines(lines: readonly PrintedLine[], random: SeededRandom): Buffer {
  const text = lines.map((line) => `[MFLOG|0|${formatMflogTime(line.at)}|runtime|${random.uuid4()}]${line.text}\n`).join('');
  return Buffer.from(text, 'utf8');
}

/**
 * Spreads `texts` evenly from `startMs` to `endMs`, the way a task's prints spread over its
 * run time.
 */
export function spreadLines(texts: readonly string[], startMs: number, endMs: number): PrintedLine[] {
  const step = texts.length > 1 ? (endMs - startMs) / (texts.length - 1) : 0;
  return texts.map((text, index) => ({ text, at: startMs + index * step }));
}

/** Formats epoch milliseconds as MFLOG's `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatMflogTime(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const microseconds = Math.floor((epochMs - wholeMs) * 1000);
  const iso = new Date(wholeMs).toISOString();
  return `${iso.slice(0, 23)}${String(microseconds).padStart(3, '0')}Z`;
}
