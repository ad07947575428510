import type { SeededRandom } from './seeded-random.ts';

/** When a task's records were written, in epoch milliseconds with a fraction for microseconds. */
export interface TaskTimes {
  allocatedAt: number;
  startedAt: number;
  finishedAt: number;
}

/**
 * Hands out task times for steps that run one after another, with the gaps seen in the
 * fixture datastore. The runtime allocates the next task about 40 ms after the previous one
 * ends, and the task process starts its attempt about 300 ms later.
 */
export class TaskClock {
  #now: number;
  readonly #random: SeededRandom;

  constructor(startAt: number, random: SeededRandom) {
    this.#now = startAt;
    this.#random = random;
  }

  /** Returns the times of the next task, whose own code runs for `workMs`. */
  next(workMs: number): TaskTimes {
    const allocatedAt = this.#now + 30 + this.#random.next() * 20;
    const startedAt = allocatedAt + 280 + this.#random.next() * 60;
    const finishedAt = startedAt + workMs;
    this.#now = finishedAt;
    return { allocatedAt, startedAt, finishedAt };
  }

  /** The time the last task finished. */
  get now(): number {
    return this.#now;
  }
}
