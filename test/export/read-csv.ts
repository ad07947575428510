/**
 * Parses CSV text as RFC 4180 defines it: records separated by CRLF (a bare LF is accepted
 * too), fields separated by commas, and quoted fields that may hold commas, line breaks and
 * doubled quotes. A leading UTF-8 byte order mark is skipped. Returns the records, the header
 * record first. Throws on a quote inside an unquoted field or an unclosed quoted field.
 */
export function readCsv(text: string): string[][] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let index = 0;

  while (index < body.length) {
    const { value, next } = body[index] === '"' ? readQuoted(body, index) : readPlain(body, index);
    record.push(value);
    index = next;

    if (body.startsWith('\r\n', index) || body[index] === '\n' || index >= body.length) {
      records.push(record);
      record = [];
      index += body.startsWith('\r\n', index) ? 2 : 1;
    } else if (body[index] === ',') {
      index += 1;
      if (index >= body.length) {
        record.push('');
      }
    }
  }
  return records;
}

function readQuoted(body: string, start: number): { value: string; next: number } {
  let value = '';
  let index = start + 1;
  for (;;) {
    const quote = body.indexOf('"', index);
    if (quote === -1) {
      throw new Error(`Unclosed quoted field starting at offset ${start}.`);
    }
    value += body.slice(index, quote);
    if (body[quote + 1] === '"') {
      value += '"';
      index = quote + 2;
      continue;
    }
    const next = quote + 1;
    if (next < body.length && body[next] !== ',' && body[next] !== '\r' && body[next] !== '\n') {
      throw new Error(`Unexpected text after the closing quote at offset ${quote}.`);
    }
    return { value, next };
  }
}

function readPlain(body: string, start: number): { value: string; next: number } {
  let index = start;
  while (index < body.length && body[index] !== ',' && body[index] !== '\r' && body[index] !== '\n') {
    if (body[index] === '"') {
      throw new Error(`A quote inside an unquoted field at offset ${index}.`);
    }
    index += 1;
  }
  return { value: body.slice(start, index), next: index };
}
