import type { IncomingMessage } from 'node:http';
import type { ApiArgs } from './api-args.ts';
import { SlackApiError } from './slack-api-error.ts';

/** Reads the whole request body. */
export async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads Web API arguments from the query string and a form-encoded, multipart or JSON
 * body; body fields win over query fields. Bad JSON throws `invalid_json`, as on Slack.
 */
export async function parseApiArgs(request: IncomingMessage, rawBody: Buffer): Promise<ApiArgs> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const args: ApiArgs = Object.fromEntries(url.searchParams);
  const contentType = mediaType(request);

  if (rawBody.length === 0) {
    return args;
  }
  if (contentType === 'application/json') {
    return { ...args, ...parseJsonObject(rawBody) };
  }
  if (contentType === 'multipart/form-data') {
    const form = await toFetchRequest(request, rawBody).formData();
    for (const [name, value] of form) {
      args[name] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return args;
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(rawBody.toString('utf8'))) };
}

/**
 * Returns the uploaded bytes of a POST to an upload URL. The WebClient sends them as a
 * multipart form with one file part; a raw body is taken as the bytes themselves.
 */
export async function readUploadBytes(request: IncomingMessage, rawBody: Buffer): Promise<Buffer> {
  if (mediaType(request) !== 'multipart/form-data') {
    return rawBody;
  }
  const form = await toFetchRequest(request, rawBody).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') {
      return Buffer.from(await value.arrayBuffer());
    }
  }
  return Buffer.alloc(0);
}

/** Returns the token of an `Authorization: Bearer …` header, or undefined. */
export function readBearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJsonObject(rawBody: Buffer): ApiArgs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new SlackApiError('invalid_json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SlackApiError('invalid_json', ['[ERROR] the JSON body must be an object']);
  }
  return parsed as ApiArgs;
}

/** Wraps the buffered body in a fetch `Request`, whose `formData()` parses multipart bodies. */
function toFetchRequest(request: IncomingMessage, rawBody: Buffer): Request {
  return new Request('http://127.0.0.1/', {
    method: 'POST',
    headers: { 'content-type': request.headers['content-type'] ?? '' },
    body: rawBody,
  });
}
