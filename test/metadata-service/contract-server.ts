/**
 * A loopback HTTP server that answers as the recorded Metaflow metadata service did. A request
 * matches an exchange by method, path and query. Recordings of the chosen phase win, then the
 * other phases in `phaseOrder`. A few answers are derived from recorded lists, following the
 * service's documented behaviour, and say so in an `X-Contract-Derived` header:
 *
 * - `?_limit=N` on a list recorded without pagination: the rows newest first, cut to N;
 * - one flow, run, step or task, from its recorded list;
 * - a task's artifact list or one of its artifacts, from a recorded task, step or run
 *   artifact list (the newest attempt of each name);
 * - a task's metadata list, from a recorded metadata list of its run;
 * - a run's metadata list, from the recorded metadata lists of its tasks (newest first, as the
 *   service orders it). It contains only the tasks whose metadata was recorded, as if no other
 *   task had started.
 *
 * Anything else is kept in `unmatched`, so a test can fail on a request that the recordings do
 * not cover. On a route of the service it gets what the service returns for a record it does not have (`[]` for a list, 404 `{}` for one record); on any other path like aiohttp's
 * unknown route (404, plain text).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** Recording phases: a running, b just killed, c contract, d client's URLs, e fresh failure. */
export type Phase = 'a' | 'b' | 'c' | 'd' | 'e';

/** A fault the server injects instead of answering. */
export type Fault = { kind: 'none' } | { kind: 'slow'; delayMs: number } | { kind: 'status'; status: number } | { kind: 'body'; text: string; contentType: string };

export interface Exchange {
  file: string;
  phase: Phase;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  body: unknown;
  recordedAtMs: number;
}

export interface ContractServer {
  url: string;
  /** Requests received, as `METHOD path?query`. */
  requests: string[];
  /** Requests that no recording or derivation answered. */
  unmatched: string[];
  fault: Fault;
  close(): Promise<void>;
}

/** Phases searched for each chosen phase, nearest in time first. */
const phaseOrder: Record<Phase, Phase[]> = {
  a: ['a', 'b', 'c', 'd', 'e'],
  b: ['b', 'a', 'c', 'd', 'e'],
  c: ['c', 'd', 'e', 'b', 'a'],
  d: ['d', 'c', 'e', 'b', 'a'],
  e: ['e', 'c', 'd', 'b', 'a'],
};

/** Headers of the recording that describe the original connection, not the contract. */
const connectionHeaders = new Set(['content-length', 'date', 'server', 'connection', 'transfer-encoding']);

/** The 500 body the service sent for `_limit=abc`, for fault tests. */
export const recorded500Body = JSON.stringify({ traceback: 'Traceback (most recent call last): …', detail: "invalid literal for int() with base 10: 'abc'", status: 500, title: 'Internal Server Error', type: 'about:blank' });

/** Loads every exchange of the unpacked fixture. */
export function loadExchanges(fixtureDir: string): Exchange[] {
  const folder = path.join(fixtureDir, 'exchanges');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const json = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as {
        request: { method: string; path: string; query: Record<string, string> };
        response: { status: number; headers: Record<string, string>; body_text: string; body: unknown };
        recorded_at_epoch_ms: number;
      };
      return {
        file,
        phase: file[0] as Phase,
        method: json.request.method,
        path: json.request.path,
        query: json.request.query,
        status: json.response.status,
        headers: json.response.headers,
        bodyText: json.response.body_text,
        body: json.response.body,
        recordedAtMs: json.recorded_at_epoch_ms,
      };
    });
}

/** When a phase was recorded: the newest `recorded_at_epoch_ms` of its exchanges. */
export function phaseRecordedAt(exchanges: readonly Exchange[], phase: Phase): number {
  return Math.max(...exchanges.filter((exchange) => exchange.phase === phase).map((exchange) => exchange.recordedAtMs));
}

/** Starts the server on 127.0.0.1 with an ephemeral port. */
export async function startContractServer(exchanges: readonly Exchange[], phase: Phase): Promise<ContractServer> {
  const ordered = phaseOrder[phase].flatMap((candidate) => exchanges.filter((exchange) => exchange.phase === candidate));
  const state = { requests: [] as string[], unmatched: [] as string[], fault: { kind: 'none' } as Fault };
  const server = createServer((request, response) => {
    void answer(ordered, state, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    unmatched: state.unmatched,
    get fault() {
      return state.fault;
    },
    set fault(fault: Fault) {
      state.fault = fault;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function answer(exchanges: readonly Exchange[], state: { requests: string[]; unmatched: string[]; fault: Fault }, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const query = Object.fromEntries(url.searchParams);
  const label = `${request.method ?? 'GET'} ${url.pathname}${url.search}`;
  state.requests.push(label);

  const fault = state.fault;
  if (fault.kind === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  } else if (fault.kind === 'status') {
    send(response, fault.status, { 'Content-Type': 'text/plain; charset=utf-8' }, fault.status >= 500 ? recorded500Body : '{}');
    return;
  } else if (fault.kind === 'body') {
    send(response, 200, { 'Content-Type': fault.contentType }, fault.text);
    return;
  }

  const found = findExact(exchanges, request.method ?? 'GET', url.pathname, query) ?? deriveAnswer(exchanges, url.pathname, query);
  if (found === null) {
    state.unmatched.push(label);
    const route = classifyRoute(url.pathname);
    if (route === 'list') {
      send(response, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, '[]');
    } else if (route === 'record') {
      send(response, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, '{}');
    } else {
      send(response, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, '404: Not Found');
    }
    return;
  }
  const headers = Object.fromEntries(Object.entries(found.headers).filter(([name]) => !connectionHeaders.has(name.toLowerCase())));
  send(response, found.status, headers, found.bodyText);
}

/** Read routes of the metadata service (2.5.1): `/flows/{f}/runs/{r}/steps/{s}/tasks/{t}/…`. */
const listRoutes = [
  /^\/flows$/,
  /^\/flows\/[^/]+\/runs$/,
  /^\/flows\/[^/]+\/runs\/[^/]+\/(steps|metadata|artifacts)$/,
  /^\/flows\/[^/]+\/runs\/[^/]+\/steps\/[^/]+\/(tasks|filtered_tasks|artifacts)$/,
  /^\/flows\/[^/]+\/runs\/[^/]+\/steps\/[^/]+\/tasks\/[^/]+\/(metadata|artifacts|attempt\/\d+\/artifacts)$/,
];
const recordRoutes = [
  /^\/flows\/[^/]+(\/runs\/[^/]+(\/steps\/[^/]+(\/tasks\/[^/]+)?)?)?$/,
  /^\/flows\/[^/]+\/runs\/[^/]+\/steps\/[^/]+\/tasks\/[^/]+\/artifacts\/[^/]+(\/attempt\/\d+)?$/,
];

/** Tells whether a path is a list route, a one-record route or no route of the service. */
function classifyRoute(pathname: string): 'list' | 'record' | 'none' {
  if (listRoutes.some((route) => route.test(pathname))) {
    return 'list';
  }
  return recordRoutes.some((route) => route.test(pathname)) ? 'record' : 'none';
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (response.destroyed) {
    return;
  }
  response.writeHead(status, headers);
  response.end(body);
}

function findExact(exchanges: readonly Exchange[], method: string, pathname: string, query: Record<string, string>): Exchange | null {
  return exchanges.find((exchange) => exchange.method === method && exchange.path === pathname && sameQuery(exchange.query, query)) ?? null;
}

function sameQuery(left: Record<string, string>, right: Record<string, string>): boolean {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

/** A derived answer: what the service returns, built from a recorded list. */
interface Derived {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

function deriveAnswer(exchanges: readonly Exchange[], pathname: string, query: Record<string, string>): Derived | null {
  const keys = Object.keys(query);
  if (keys.length === 1 && keys[0] === '_limit') {
    return deriveFirstPage(exchanges, pathname, Number(query['_limit']));
  }
  if (keys.length > 0) {
    return null;
  }
  return deriveRunMetadata(exchanges, pathname) ?? deriveTaskMetadata(exchanges, pathname) ?? deriveTaskArtifacts(exchanges, pathname) ?? deriveOneRow(exchanges, pathname);
}

function deriveFirstPage(exchanges: readonly Exchange[], pathname: string, limit: number): Derived | null {
  const source = findExact(exchanges, 'GET', pathname, {});
  if (source === null || !Array.isArray(source.body) || !Number.isInteger(limit) || limit < 1) {
    return null;
  }
  const rows = [...(source.body as Record<string, unknown>[])].sort((left, right) => Number(right['ts_epoch']) - Number(left['ts_epoch']));
  const page = rows.slice(0, Math.min(limit, 500));
  // NOTE: a derived page never offers a next cursor, so a derived list must fit one page.
  if (page.length < rows.length) {
    return null;
  }
  return derived(source.file, JSON.stringify(page), { 'X-Limit': String(Math.min(limit, 500)) });
}

/** Id field of each kind of row, for `deriveOneRow`. */
const idFields: Record<string, string> = { flows: 'flow_id', runs: 'run_number', steps: 'step_name', tasks: 'task_id' };

/** `/flows/{f}`, `…/runs/{r}`, `…/steps/{s}` or `…/tasks/{t}` from the recorded list of its parent. */
function deriveOneRow(exchanges: readonly Exchange[], pathname: string): Derived | null {
  const match = /^(.*)\/(flows|runs|tasks|steps)\/([^/]+)$/.exec(pathname);
  if (match === null) {
    return null;
  }
  const [, parent, kind, id] = match as unknown as [string, string, string, string];
  const source = findExact(exchanges, 'GET', `${parent}/${kind}`, {});
  if (source === null || !Array.isArray(source.body)) {
    return null;
  }
  const field = idFields[kind] ?? '';
  const row = (source.body as Record<string, unknown>[]).find((candidate) => String(candidate[field]) === decodeURIComponent(id));
  return row === undefined ? derived(source.file, '{}', {}, 404) : derived(source.file, JSON.stringify(row));
}

/** `…/tasks/{t}/artifacts` and `…/tasks/{t}/artifacts/{name}` from a recorded task, step or run artifact list. */
function deriveTaskArtifacts(exchanges: readonly Exchange[], pathname: string): Derived | null {
  const match = /^(\/flows\/[^/]+\/runs\/[^/]+)(\/steps\/[^/]+)\/tasks\/([^/]+)\/artifacts(?:\/([^/]+))?$/.exec(pathname);
  if (match === null) {
    return null;
  }
  const [, run, step, task, name] = match as unknown as [string, string, string, string, string | undefined];
  const sources = [`${run}${step}/tasks/${task}/artifacts`, `${run}${step}/artifacts`, `${run}/artifacts`];
  for (const sourcePath of sources) {
    const source = findExact(exchanges, 'GET', sourcePath, {});
    if (source === null || !Array.isArray(source.body)) {
      continue;
    }
    const rows = (source.body as Record<string, unknown>[]).filter((row) => String(row['task_id']) === task);
    if (rows.length === 0) {
      continue;
    }
    const newest = Math.max(...rows.map((row) => Number(row['attempt_id'])));
    const latest = rows.filter((row) => Number(row['attempt_id']) === newest);
    if (name === undefined) {
      return derived(source.file, JSON.stringify(latest));
    }
    const row = latest.find((candidate) => candidate['name'] === decodeURIComponent(name));
    return row === undefined ? derived(source.file, '{}', {}, 404) : derived(source.file, JSON.stringify(row));
  }
  return null;
}

/** `/flows/{f}/runs/{r}/metadata`: the union of the run's recorded task metadata lists, nearest phase first. */
function deriveRunMetadata(exchanges: readonly Exchange[], pathname: string): Derived | null {
  const match = /^(\/flows\/[^/]+\/runs\/[^/]+)\/metadata$/.exec(pathname);
  if (match === null) {
    return null;
  }
  const taskMetadata = new RegExp(`^${escapeRegExp(match[1] ?? '')}/steps/[^/]+/tasks/[^/]+/metadata$`);
  const byTask = new Map<string, Exchange>();
  for (const exchange of exchanges) {
    if (exchange.method === 'GET' && exchange.status === 200 && Object.keys(exchange.query).length === 0 && taskMetadata.test(exchange.path) && !byTask.has(exchange.path)) {
      byTask.set(exchange.path, exchange);
    }
  }
  const rows = [...byTask.values()].flatMap((exchange) => exchange.body as Record<string, unknown>[]);
  rows.sort((left, right) => Number(right['ts_epoch']) - Number(left['ts_epoch']) || Number(right['id']) - Number(left['id']));
  return derived([...byTask.values()].map((exchange) => exchange.file).join(' '), JSON.stringify(rows));
}

/** `…/steps/{s}/tasks/{t}/metadata`: the rows of that task in a recorded metadata list of the run. */
function deriveTaskMetadata(exchanges: readonly Exchange[], pathname: string): Derived | null {
  const match = /^(\/flows\/[^/]+\/runs\/[^/]+)\/steps\/([^/]+)\/tasks\/([^/]+)\/metadata$/.exec(pathname);
  if (match === null) {
    return null;
  }
  const [, run, step, task] = match as unknown as [string, string, string, string];
  const source = findExact(exchanges, 'GET', `${run}/metadata`, {});
  if (source === null || !Array.isArray(source.body)) {
    return null;
  }
  const rows = (source.body as Record<string, unknown>[]).filter((row) => row['step_name'] === decodeURIComponent(step) && String(row['task_id']) === decodeURIComponent(task));
  return derived(source.file, JSON.stringify(rows));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function derived(sourceFile: string, bodyText: string, extra: Record<string, string> = {}, status = 200): Derived {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Contract-Derived': sourceFile, ...extra }, bodyText };
}
