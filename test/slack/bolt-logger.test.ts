import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/logger.ts';
import { createBoltLogger, summarize } from '../../src/slack/bolt-logger.ts';

describe('createBoltLogger', () => {
  it('drops the SDK debug lines', () => {
    const lines: string[] = [];
    const logger = createBoltLogger(createJsonLogger('debug', (line) => lines.push(line)));
    logger.debug('Received a message on the WebSocket: {"payload":{}}');
    logger.warn('socket closed');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', message: 'socket closed', source: 'slack-sdk' });
  });
});

describe('summarize', () => {
  it('masks tokens', () => {
    expect(summarize(['token xoxb-1234-5678-abcdef and xapp-1-A0-99'])).toBe('token xoxb-… and xapp-…');
  });

  it('cuts long messages', () => {
    expect(summarize(['x'.repeat(1_000)])).toHaveLength(301);
  });

  it('describes errors and objects', () => {
    expect(summarize([new TypeError('bad'), { retry: 2 }])).toBe('TypeError: bad {"retry":2}');
  });
});
