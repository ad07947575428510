/** Matches every Web API method in `rateLimit` and `failMethod`. */
export const anyMethod = '*';

interface RateLimitFault {
  remaining: number;
  retryAfterSeconds: number;
}

interface MethodFailure {
  remaining: number;
  error: string;
}

/**
 * Faults that tests switch on and off. The Web API and the Socket Mode hub read them
 * on every request, envelope and ping, so a change applies from the next one on.
 */
export class FaultSwitches {
  private readonly rateLimits = new Map<string, RateLimitFault>();
  private readonly failures = new Map<string, MethodFailure>();
  private ackDelay = 0;
  private eventsHeld = false;
  private pongsSuppressed = false;

  /** @param onEventsReleased called by `releaseEvents`, so that held events go out at once. */
  constructor(private readonly onEventsReleased: () => void) {}

  /**
   * Fails the next `times` calls of `method` (or of every method, with `'*'`) with
   * HTTP 429, `Retry-After: <retryAfterSeconds>` and `{ ok: false, error: 'ratelimited' }`.
   */
  rateLimit(method: string, options: { times?: number; retryAfterSeconds?: number } = {}): void {
    this.rateLimits.set(method, { remaining: options.times ?? 1, retryAfterSeconds: options.retryAfterSeconds ?? 1 });
  }

  /** Fails calls of `method` (or `'*'`) with `{ ok: false, error }`: the next `times` calls, or all of them until `clear`. */
  failMethod(method: string, error: string, options: { times?: number } = {}): void {
    this.failures.set(method, { remaining: options.times ?? Number.POSITIVE_INFINITY, error });
  }

  /** Makes the Socket Mode hub act on each ack `ms` milliseconds after it arrived. */
  delayAcks(ms: number): void {
    this.ackDelay = ms;
  }

  /** Keeps new and redelivered events queued, even while a socket is open, until `releaseEvents`. */
  holdEvents(): void {
    this.eventsHeld = true;
  }

  /** Sends the held events to an open socket, if there is one. */
  releaseEvents(): void {
    this.eventsHeld = false;
    this.onEventsReleased();
  }

  /** Stops the server's WebSocket pings and its pongs to the client's pings, so that the client's pong watchdog ends the connection. */
  suppressPongs(suppressed = true): void {
    this.pongsSuppressed = suppressed;
  }

  /** Switches every fault off and releases held events. */
  clear(): void {
    this.rateLimits.clear();
    this.failures.clear();
    this.ackDelay = 0;
    this.pongsSuppressed = false;
    this.releaseEvents();
  }

  /** Uses up one rate-limited call of `method` and returns its `Retry-After` seconds, or undefined. */
  takeRateLimit(method: string): number | undefined {
    const fault = this.takeFrom(this.rateLimits, method);
    return fault?.retryAfterSeconds;
  }

  /** Uses up one failing call of `method` and returns its error code, or undefined. */
  takeFailure(method: string): string | undefined {
    return this.takeFrom(this.failures, method)?.error;
  }

  /** Milliseconds the hub waits before acting on an ack. */
  get ackDelayMs(): number {
    return this.ackDelay;
  }

  get areEventsHeld(): boolean {
    return this.eventsHeld;
  }

  get arePongsSuppressed(): boolean {
    return this.pongsSuppressed;
  }

  private takeFrom<T extends { remaining: number }>(faults: Map<string, T>, method: string): T | undefined {
    const key = faults.has(method) ? method : anyMethod;
    const fault = faults.get(key);
    if (!fault || fault.remaining <= 0) {
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      faults.delete(key);
    }
    return fault;
  }
}
