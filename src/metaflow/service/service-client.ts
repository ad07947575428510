import type { Logger } from '../../logger.ts';
import { MetaflowError } from '../errors.ts';
import { RequestLimiter } from './request-limiter.ts';

/** Options of `MetadataServiceClient`. */
export interface MetadataServiceClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:8080` (`METAFLOW_SERVICE_URL`). */
  baseUrl: string;
  /** Headers sent with every request, as `serviceRequestHeaders(settings)` builds them. */
  headers?: Record<string, string>;
  logger: Logger;
  /** Time allowed for one attempt of one request, in milliseconds; 10,000 by default. */
  timeoutMs?: number;
  /**
   * Retries after a transient failure (connection error, 502/503/504); 2 by default. A timeout
   * is retried once at most, so that one request ends within about twice `timeoutMs`, well
   * inside the bot's 30-second limit for a lookup, and the user learns which server is slow.
   */
  retries?: number;
  /** Wait before the first retry, in milliseconds, doubled for each further retry; 200 by default. */
  retryDelayMs?: number;
  /** Requests in flight at the same time; 8 by default. */
  maxInFlight?: number;
}

/** One page of a list and the cursor of the next page, `null` on the last page. */
export interface ServicePage {
  rows: unknown[];
  nextCursor: string | null;
}

/** Largest page the service returns (it caps `_limit` at 500). */
export const maxPageSize = 500;

type Query = Record<string, string>;

const transientStatuses = new Set([502, 503, 504]);

/**
 * Sends read-only GET requests to the Metaflow metadata service. Every request has a timeout,
 * transient failures are retried with exponential backoff, and at most `maxInFlight` requests
 * run at once. Bodies are parsed as JSON whatever their content type, because the service
 * sends JSON as `text/plain`. Errors become `MetaflowError`s whose messages are safe to show
 * in a thread; the service's own error detail goes to the log only.
 */
export class MetadataServiceClient {
  readonly baseUrl: string;
  readonly #headers: Record<string, string>;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #limiter: RequestLimiter;
  #requestCount = 0;

  constructor(options: MetadataServiceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#headers = { accept: 'application/json', ...options.headers };
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#limiter = new RequestLimiter(options.maxInFlight ?? 8);
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requestCount;
  }

  /**
   * Fetches one object; `null` when the service answers 404.
   *
   * @throws MetaflowError `unavailable` when the service cannot be reached, times out, fails or
   *   answers with something that is not JSON; `access_denied` on 401 and 403.
   */
  async getObject(path: string, query: Query = {}): Promise<unknown> {
    const response = await this.#get(path, query);
    return response === null ? null : response.body;
  }

  /** Fetches a list. The service answers `[]` for a list under a missing parent. */
  async getList(path: string, query: Query = {}): Promise<unknown[]> {
    const page = await this.getPage(path, query);
    return page.rows;
  }

  /**
   * Fetches one page of a list; pass `_limit` (and `_cursor` for later pages) in `query`. The
   * service returns `[]` for a list under a missing parent, so a 404 means the route is wrong.
   */
  async getPage(path: string, query: Query): Promise<ServicePage> {
    const response = await this.#get(path, query);
    if (response === null) {
      throw this.#noRoute(path, '{}');
    }
    if (!Array.isArray(response.body)) {
      throw this.#invalidBody(path, 'a JSON list was expected');
    }
    return { rows: response.body, nextCursor: response.headers.get('x-next-cursor') };
  }

  /** Follows the cursors of a paginated list until `maxRows` rows are read or the list ends. */
  async *iteratePages(path: string, query: Query, pageSize: number, maxRows = Number.POSITIVE_INFINITY): AsyncGenerator<unknown[]> {
    let cursor: string | null = null;
    let read = 0;
    do {
      const limit = Math.max(1, Math.min(maxPageSize, pageSize, maxRows - read));
      const page = await this.getPage(path, { ...query, _limit: String(limit), ...(cursor === null ? {} : { _cursor: cursor }) });
      read += page.rows.length;
      yield page.rows;
      cursor = page.rows.length === 0 ? null : page.nextCursor;
    } while (cursor !== null && read < maxRows);
  }

  async #get(path: string, query: Query): Promise<{ body: unknown; headers: Headers } | null> {
    const url = this.#url(path, query);
    let timeouts = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#limiter.run(() => this.#send(url, path));
      } catch (error) {
        if (error instanceof TransientError && error.timedOut) {
          timeouts += 1;
        }
        if (!(error instanceof TransientError) || attempt >= this.#retries || timeouts > 1) {
          throw error instanceof TransientError ? error.toMetaflowError() : error;
        }
        const delayMs = this.#retryDelayMs * 2 ** attempt;
        this.#logger.warn('metadata service request retried', { path, attempt: attempt + 1, delayMs, reason: error.message });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  async #send(url: string, path: string): Promise<{ body: unknown; headers: Headers } | null> {
    this.#requestCount += 1;
    let response: Response;
    let text: string;
    try {
      // A redirect is not followed: fetch would send the auth key and headers to wherever it leads.
      response = await fetch(url, { headers: this.#headers, redirect: 'manual', signal: AbortSignal.timeout(this.#timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw this.#connectionError(error);
    }
    this.#logger.debug('metadata service request', { path, status: response.status });

    if (response.status === 404) {
      return this.#notFound(path, text);
    }
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location') ?? 'no address';
      this.#logger.error('metadata service redirected', { path, status: response.status, location });
      throw new MetaflowError(
        'unavailable',
        `The Metaflow metadata service at ${this.baseUrl} redirected the bot to ${location} (HTTP ${response.status}). The bot does not follow redirects, so that its key goes nowhere else: set METAFLOW_SERVICE_URL to the address that answers.`,
      );
    }
    if (response.ok) {
      return { body: this.#parseBody(path, text), headers: response.headers };
    }
    throw this.#statusError(path, response.status, text);
  }

  /**
   * Reads a 404. The service returns `{}` for a record it does not have, and a body that is not
   * JSON (aiohttp's `404: Not Found`, a proxy's page) means the route itself is unknown, so
   * the base URL is wrong.
   */
  #notFound(path: string, text: string): null {
    try {
      JSON.parse(text);
      return null;
    } catch {
      throw this.#noRoute(path, text);
    }
  }

  #noRoute(path: string, text: string): MetaflowError {
    this.#logger.error('metadata service has no such route', { path, bodyStart: text.slice(0, 80) });
    return new MetaflowError(
      'unavailable',
      `The Metaflow metadata service at ${this.baseUrl} has no route ${path} (HTTP 404), so METAFLOW_SERVICE_URL may point at the wrong place: check its path, such as a missing or extra \`/api\`.`,
    );
  }

  #url(path: string, query: Query): string {
    const search = new URLSearchParams(query).toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  #parseBody(path: string, text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      this.#logger.warn('metadata service sent a body that is not JSON', { path, bodyStart: text.slice(0, 80) });
      throw new MetaflowError('unavailable', `The Metaflow metadata service at ${this.baseUrl} sent a reply that is not JSON, so it may not be a metadata service.`, {
        cause: error,
      });
    }
  }

  #invalidBody(path: string, problem: string): MetaflowError {
    this.#logger.warn('metadata service sent an unexpected body', { path, problem });
    return new MetaflowError('unavailable', `The Metaflow metadata service at ${this.baseUrl} sent an unexpected reply for ${path}: ${problem}.`);
  }

  #connectionError(error: unknown): TransientError {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new TransientError(`timed out after ${this.#timeoutMs} ms`, `The Metaflow metadata service at ${this.baseUrl} did not answer within ${this.#timeoutMs} ms.`, error, true);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    return new TransientError(`connection failed (${code})`, `The Metaflow metadata service at ${this.baseUrl} cannot be reached (${code}).`, error);
  }

  #statusError(path: string, status: number, text: string): Error {
    const detail = readErrorDetail(text);
    if (transientStatuses.has(status)) {
      return new TransientError(`HTTP ${status}`, `The Metaflow metadata service at ${this.baseUrl} is unavailable (HTTP ${status}).`, null);
    }
    if (status === 401 || status === 403) {
      this.#logger.warn('metadata service refused access', { path, status });
      return new MetaflowError('access_denied', `The Metaflow metadata service at ${this.baseUrl} refused access (HTTP ${status}). Check METAFLOW_SERVICE_AUTH_KEY and METAFLOW_SERVICE_HEADERS.`);
    }
    this.#logger.error('metadata service request failed', { path, status, detail });
    if (status >= 500) {
      return new MetaflowError('unavailable', `The Metaflow metadata service at ${this.baseUrl} failed with an internal error (HTTP ${status}).`);
    }
    return new MetaflowError('unavailable', `The Metaflow metadata service at ${this.baseUrl} rejected a request from the bot (HTTP ${status}).`);
  }
}

/** A failure worth retrying; it becomes an `unavailable` error when the retries run out. */
class TransientError extends Error {
  readonly #userMessage: string;
  readonly #original: unknown;
  readonly timedOut: boolean;

  constructor(reason: string, userMessage: string, original: unknown, timedOut = false) {
    super(reason);
    this.#userMessage = userMessage;
    this.#original = original;
    this.timedOut = timedOut;
  }

  toMetaflowError(): MetaflowError {
    return new MetaflowError('unavailable', this.#userMessage, { cause: this.#original ?? this });
  }
}

/** The service's error text for the log: the `detail` of a 500 body, or the start of the body. */
function readErrorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body === 'string') {
      return body;
    }
    if (typeof body === 'object' && body !== null && 'detail' in body && typeof body.detail === 'string') {
      return body.detail;
    }
  } catch {
    // Not JSON (aiohttp's plain-text 404/405 pages, a proxy's HTML): the start of it is enough.
  }
  return text.slice(0, 200);
}
