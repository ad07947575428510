/** Caps how many async jobs run at once; the others wait in arrival order. */
export class RequestLimiter {
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #waiting: (() => void)[] = [];

  /** @param maxInFlight jobs allowed to run at the same time, at least 1. */
  constructor(maxInFlight: number) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}.`);
    }
    this.#maxInFlight = maxInFlight;
  }

  /** Runs `job` once a slot is free and frees the slot when it settles. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#inFlight >= this.#maxInFlight) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#inFlight += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) {
        next();
      } else {
        this.#inFlight -= 1;
      }
    }
  }
}
