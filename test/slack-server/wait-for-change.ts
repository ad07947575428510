import type { SlackStore } from './slack-store.ts';

/** What to wait for and how to explain a timeout. */
export interface WaitRequest<T> {
  /** Returns the awaited value, or undefined while it is not there yet. */
  check: () => T | undefined;
  timeoutMs: number;
  /** What is awaited, for the timeout message: `2 bot replies in thread C1/1700000000.000100`. */
  description: string;
  /** Describes the current state, for the timeout message. */
  describeState: () => string;
}

/**
 * Resolves with `check()` as soon as it returns a value: now, or after one of the
 * store's changes. Rejects after `timeoutMs` milliseconds with what was awaited and what was there.
 */
export function waitForChange<T>(store: SlackStore, request: WaitRequest<T>): Promise<T> {
  const immediate = request.check();
  if (immediate !== undefined) {
    return Promise.resolve(immediate);
  }

  return new Promise<T>((resolve, reject) => {
    const stopListening = store.onChange(() => {
      const value = request.check();
      if (value !== undefined) {
        finish();
        resolve(value);
      }
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`Timed out after ${request.timeoutMs} ms waiting for ${request.description}. ${request.describeState()}`));
    }, request.timeoutMs);

    function finish(): void {
      clearTimeout(timer);
      stopListening();
    }
  });
}
