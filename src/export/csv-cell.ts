/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV
 * injection): `=`, `+`, `-`, `@`, tab and carriage return.
 */
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A decimal number such as `-0.5`, `+3` or `-1e-9`: a spreadsheet reads it as a number, never a formula. */
const numberLiteral = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Characters that force a CSV field into quotes (RFC 4180), plus edge spaces that some readers trim. */
const needsQuotes = /[",\r\n]|^\s|\s$/;

/**
 * Prefixes `'` to text that a spreadsheet would run as a formula, so a tag `=HYPERLINK(…)` or a
 * label `-cmd` shows as text. Text that is a plain decimal number (`-0.5`) is left alone: it
 * starts with `-` but a spreadsheet reads it as that number, and a prefix would make it text.
 * JSON numbers never pass through here, because json2csv writes them with its number formatter.
 */
export function neutralizeFormula(text: string): string {
  const first = text.charAt(0);
  if (!formulaTriggers.has(first) || numberLiteral.test(text)) {
    return text;
  }
  return `'${text}`;
}

/** Formats a text cell: neutralized, then quoted when RFC 4180 requires it (doubled inner quotes). */
export function formatCsvText(text: string): string {
  const safe = neutralizeFormula(text);
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
