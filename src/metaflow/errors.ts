/**
 * Stable codes for everything that can go wrong while reading Metaflow. The message is a
 * sentence a user can read in a thread; `cause` keeps the underlying error for the log.
 */
export type MetaflowErrorCode =
  /** A flow, run, step, task, artifact or log that does not exist. */
  | 'not_found'
  /** A name from the user that breaks Metaflow's naming rules or would leave the datastore. */
  | 'invalid_name'
  /** Data that exists but cannot be read as Metaflow wrote it: truncated, invalid JSON, half-written. */
  | 'corrupt_data'
  /** The backend could not be reached, timed out or answered with a server error. */
  | 'unavailable'
  /** The backend refused access. */
  | 'access_denied';

export class MetaflowError extends Error {
  readonly code: MetaflowErrorCode;

  constructor(code: MetaflowErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetaflowError';
    this.code = code;
  }
}

export function isMetaflowError(error: unknown): error is MetaflowError {
  return error instanceof MetaflowError;
}
