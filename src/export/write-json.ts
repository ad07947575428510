/** The document's fields that come before its rows. */
export interface JsonPreamble {
  format: 'metaflowbot-export';
  formatVersion: 1;
  kind: 'runs' | 'tasks';
  header: object;
}

/**
 * Writes a JSON export document: the preamble, then `rows` with one row per line, each yielded
 * as soon as it arrives, then `rowCount`. Returns the number of rows written.
 */
export async function* writeJson<Row extends object>(preamble: JsonPreamble, rows: AsyncIterable<Row>): AsyncGenerator<string, number> {
  // The indented preamble without its closing `\n}`, so the rows can follow inside the object.
  const opening = JSON.stringify(preamble, null, 2).slice(0, -2);
  yield `${opening},\n  "rows": [`;

  let count = 0;
  for await (const row of rows) {
    yield `${count === 0 ? '' : ','}\n    ${JSON.stringify(row)}`;
    count += 1;
  }

  const closeRows = count === 0 ? ']' : '\n  ]';
  yield `${closeRows},\n  "rowCount": ${count}\n}\n`;
  return count;
}
