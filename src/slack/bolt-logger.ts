import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../logger.ts';

/** Longest SDK log message kept, in characters; longer ones are cut so that no payload lands in the log. */
const maxMessageLength = 300;

/** Slack tokens (`xoxb-…`, `xapp-…` and the other `xox?-` kinds) as they may appear in SDK messages. */
const tokenPattern = /\b(xox[abpeor]|xapp)-[A-Za-z0-9-]+/g;

/**
 * Adapts our logger to the Logger interface that Bolt, the WebClient and the Socket Mode client
 * take. Their debug lines are dropped, because they contain whole request and event payloads.
 * Other lines are cut to a few hundred characters and any token in them is masked.
 */
export function createBoltLogger(logger: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: () => undefined,
    info: (...messages: unknown[]) => logger.info(summarize(messages), { source: 'slack-sdk' }),
    warn: (...messages: unknown[]) => logger.warn(summarize(messages), { source: 'slack-sdk' }),
    error: (...messages: unknown[]) => logger.error(summarize(messages), { source: 'slack-sdk' }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Joins the SDK's message parts into one line without tokens, at most `maxMessageLength` characters. */
export function summarize(messages: readonly unknown[]): string {
  const text = messages.map(describePart).join(' ').replace(tokenPattern, '$1-…');
  return text.length <= maxMessageLength ? text : `${text.slice(0, maxMessageLength)}…`;
}

function describePart(part: unknown): string {
  if (part instanceof Error) {
    return `${part.name}: ${part.message}`;
  }
  if (typeof part === 'string') {
    return part;
  }
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
