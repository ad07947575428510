/** Stable codes for an export that cannot be completed. */
export type ExportErrorCode =
  /** A row or header does not match `docs/schema/export.schema.json`: a bug in the bot. */
  | 'invalid_export'
  /** The flow's runs changed between the two passes of a CSV export. */
  | 'flow_changed'
  /** The output path exists and is not a regular file (a symbolic link, directory, device, FIFO or socket). */
  | 'invalid_output'
  /** The output file cannot be created or written. */
  | 'unwritable_output';

/**
 * An export that stopped before it was complete. The message is a sentence for the user;
 * `details` carries what the log needs (the schema path and the offending row's pathspec).
 */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ExportErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ExportError';
    this.code = code;
    this.details = details;
  }
}
