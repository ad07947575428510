/**
 * A structured logger that every component takes as a parameter. Each entry is one JSON line
 * on stderr, so stdout stays free for the terminal chat's replies. Never pass a token or a
 * whole Slack payload in `fields`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes a line to a stream; a parameter so that tests can collect the lines. */
export type LineWriter = (line: string) => void;

export function createJsonLogger(minLevel: LogLevel = 'info', write: LineWriter = writeToStderr): Logger {
  const log = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (levelOrder[level] < levelOrder[minLevel]) {
      return;
    }
    const entry = { time: new Date().toISOString(), level, message, ...serializeFields(fields) };
    write(JSON.stringify(entry));
  };

  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

/** A logger that drops everything, for tests that do not read the log. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function writeToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Turns `Error` values into plain objects, since `JSON.stringify` drops their fields. */
function serializeFields(fields: LogFields | undefined): LogFields {
  if (!fields) {
    return {};
  }
  const result: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    result[key] = value instanceof Error ? describeError(value) : value;
  }
  return result;
}

function describeError(error: Error): LogFields {
  const description: LogFields = { name: error.name, message: error.message };
  if ('code' in error) {
    description['code'] = error.code;
  }
  if (error.cause instanceof Error) {
    description['cause'] = describeError(error.cause);
  }
  return description;
}
