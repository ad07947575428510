import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotClient, slackErrorOf } from './client-helpers.ts';
import { startSlackServer, type SlackServer } from './index.ts';

const channel = 'C0GENERAL1';
const snapshot = { event_type: 'metaflow_bot_state', event_payload: { run: 'HelloFlow/12', step: 'start' } };

let server: SlackServer;
let client: WebClient;

beforeEach(async () => {
  server = await startSlackServer();
  client = createBotClient(server);
});

afterEach(async () => {
  await server.close();
});

describe('auth.test', () => {
  it('returns the bot identity', async () => {
    const result = await client.auth.test();

    expect(result.user_id).toBe(server.botUserId);
    expect(result.bot_id).toBe(server.botId);
    expect(result.team_id).toBe(server.teamId);
  });

  it('rejects an unknown token', async () => {
    const stranger = createBotClient(server);
    const error = await slackErrorOf(stranger.auth.test({ token: 'xoxb-not-a-known-token' }));

    expect(error).toBe('invalid_auth');
  });

  it('rejects the app token', async () => {
    const error = await slackErrorOf(client.auth.test({ token: server.appToken }));

    expect(error).toBe('not_allowed_token_type');
  });
});

describe('Web API dispatch', () => {
  it('rejects an unknown method', async () => {
    const error = await slackErrorOf(client.apiCall('chat.doesNotExist', { channel }));

    expect(error).toBe('unknown_method');
  });

  it('logs calls without the token', async () => {
    await client.auth.test({ token: server.botToken });
    const [call] = server.store.calls('auth.test');

    expect(call?.ok).toBe(true);
    expect(call?.args).not.toHaveProperty('token');
  });

  it('accepts a JSON body', async () => {
    const response = await fetch(`${server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel, text: 'hello', metadata: snapshot }),
    });
    const body = (await response.json()) as { ok: boolean; ts: string };

    expect(body.ok).toBe(true);
    expect(server.store.findMessage(channel, body.ts)?.metadata).toEqual(snapshot);
  });

  it('rejects malformed JSON', async () => {
    const response = await fetch(`${server.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.botToken}`, 'content-type': 'application/json' },
      body: '{"channel": ',
    });

    expect(await response.json()).toEqual({ ok: false, error: 'invalid_json' });
  });
});

describe('chat.postMessage', () => {
  it('returns metadata only with include_all_metadata', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'parent' });
    await client.chat.postMessage({ channel, text: 'state', thread_ts: parent.ts, metadata: snapshot });

    const plain = await client.conversations.replies({ channel, ts: parent.ts ?? '' });
    const full = await client.conversations.replies({ channel, ts: parent.ts ?? '', include_all_metadata: true });

    expect(plain.messages?.[1]).not.toHaveProperty('metadata');
    expect(full.messages?.[1]?.metadata).toEqual(snapshot);
    expect(full.messages?.[1]?.app_id).toBe(server.appId);
  });

  it('stores the bot as author', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'hello' });
    const stored = server.store.findMessage(channel, posted.ts ?? '');

    expect(stored?.user).toBe(server.botUserId);
    expect(stored?.bot_id).toBe(server.botId);
    expect(stored?.app_id).toBe(server.appId);
  });

  it('files a reply to a reply under the parent', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'parent' });
    const reply = await client.chat.postMessage({ channel, text: 'reply', thread_ts: parent.ts });
    const nested = await client.chat.postMessage({ channel, text: 'nested', thread_ts: reply.ts });

    expect(server.store.findMessage(channel, nested.ts ?? '')?.thread_ts).toBe(parent.ts);
  });

  it('rejects an unknown thread', async () => {
    const error = await slackErrorOf(client.chat.postMessage({ channel, text: 'lost', thread_ts: '1000000000.000001' }));

    expect(error).toBe('thread_not_found');
  });

  it('rejects text over 40,000 characters', async () => {
    const error = await slackErrorOf(client.chat.postMessage({ channel, text: 'x'.repeat(40_001) }));

    expect(error).toBe('msg_too_long');
  });

  it('accepts text of 40,000 characters', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'x'.repeat(40_000) });

    expect(posted.ok).toBe(true);
  });

  it('rejects 51 blocks', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const error = await slackErrorOf(client.chat.postMessage({ channel, text: 'many', blocks }));

    expect(error).toBe('invalid_blocks');
  });

  it('rejects a block without type', async () => {
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel, text: 't', blocks: [{ text: 'x' }] }));

    expect(error).toBe('invalid_blocks');
  });

  it('rejects a missing text', async () => {
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel }));

    expect(error).toBe('no_text');
  });

  it('rejects a non-object event_payload', async () => {
    const metadata = { event_type: 'metaflow_bot_state', event_payload: 'not an object' };
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel, text: 't', metadata }));

    expect(error).toBe('invalid_metadata_schema');
  });

  it.each([
    ['a null field', { run: null }],
    ['an object nested twice', { context: { run: { flow: 'HelloFlow' } } }],
  ])('rejects an event_payload with %s', async (_name, eventPayload) => {
    const metadata = { event_type: 'metaflow_bot_state', event_payload: eventPayload };
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel, text: 't', metadata }));

    expect(error).toBe('invalid_metadata_schema');
  });

  it('rejects a non-string event_type', async () => {
    const metadata = { event_type: 7, event_payload: {} };
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel, text: 't', metadata }));

    expect(error).toBe('invalid_metadata_schema');
  });

  it('rejects metadata that is not JSON', async () => {
    const error = await slackErrorOf(client.apiCall('chat.postMessage', { channel, text: 't', metadata: '{oops' }));

    expect(error).toBe('invalid_metadata_format');
  });
});

describe('chat.update', () => {
  it('replaces text and marks the edit', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'working…', metadata: snapshot });
    await client.chat.update({ channel, ts: posted.ts ?? '', text: 'done' });
    const stored = server.store.findMessage(channel, posted.ts ?? '');

    expect(stored?.text).toBe('done');
    expect(stored?.edited?.user).toBe(server.botUserId);
    expect(stored?.metadata).toEqual(snapshot);
  });

  it('rejects another author', async () => {
    const { ts } = server.postUserMessage({ channel, user: 'U0ALICE001', text: 'mine' });
    const error = await slackErrorOf(client.chat.update({ channel, ts, text: 'taken over' }));

    expect(error).toBe('cant_update_message');
  });

  it('rejects an unknown message', async () => {
    const error = await slackErrorOf(client.chat.update({ channel, ts: '1000000000.000001', text: 'x' }));

    expect(error).toBe('message_not_found');
  });
});

describe('conversations.replies', () => {
  async function postThread(replyCount: number): Promise<string[]> {
    const parent = await client.chat.postMessage({ channel, text: 'parent' });
    const timestamps = [parent.ts ?? ''];
    for (let index = 0; index < replyCount; index += 1) {
      const reply = await client.chat.postMessage({ channel, text: `reply ${index}`, thread_ts: parent.ts });
      timestamps.push(reply.ts ?? '');
    }
    return timestamps;
  }

  it('pages with cursors', async () => {
    const timestamps = await postThread(4);
    const first = await client.conversations.replies({ channel, ts: timestamps[0] ?? '', limit: 2 });
    const cursor = first.response_metadata?.next_cursor ?? '';
    const second = await client.conversations.replies({ channel, ts: timestamps[0] ?? '', limit: 2, cursor });

    expect(first.messages?.map((message) => message.ts)).toEqual(timestamps.slice(0, 2));
    expect(first.has_more).toBe(true);
    expect(second.messages?.map((message) => message.ts)).toEqual(timestamps.slice(2, 4));
  });

  it('reaches the end through paginate', async () => {
    const timestamps = await postThread(4);
    const seen: string[] = [];
    for await (const page of client.paginate('conversations.replies', { channel, ts: timestamps[0], limit: 2 })) {
      const messages = (page as { messages?: { ts?: string }[] }).messages ?? [];
      seen.push(...messages.map((message) => message.ts ?? ''));
    }

    expect(seen).toEqual(timestamps);
  });

  it('summarises replies on the parent', async () => {
    const timestamps = await postThread(2);
    const result = await client.conversations.replies({ channel, ts: timestamps[0] ?? '' });
    const parent = result.messages?.[0];

    expect(parent?.reply_count).toBe(2);
    expect(parent?.latest_reply).toBe(timestamps[2]);
    expect(parent?.thread_ts).toBe(timestamps[0]);
  });

  it('rejects an unknown cursor', async () => {
    const timestamps = await postThread(1);
    const error = await slackErrorOf(client.conversations.replies({ channel, ts: timestamps[0] ?? '', cursor: 'bm9wZQ==' }));

    expect(error).toBe('invalid_cursor');
  });

  it('rejects an unknown thread', async () => {
    const error = await slackErrorOf(client.conversations.replies({ channel, ts: '1000000000.000001' }));

    expect(error).toBe('thread_not_found');
  });
});

describe('conversations.history', () => {
  it('lists top-level messages newest first', async () => {
    const first = await client.chat.postMessage({ channel, text: 'first' });
    await client.chat.postMessage({ channel, text: 'reply', thread_ts: first.ts });
    const second = await client.chat.postMessage({ channel, text: 'second' });
    const result = await client.conversations.history({ channel });

    expect(result.messages?.map((message) => message.ts)).toEqual([second.ts, first.ts]);
  });

  it('pages with cursors', async () => {
    const posted = [];
    for (const text of ['a', 'b', 'c']) {
      posted.push((await client.chat.postMessage({ channel, text })).ts);
    }
    const first = await client.conversations.history({ channel, limit: 2 });
    const cursor = first.response_metadata?.next_cursor ?? '';
    const second = await client.conversations.history({ channel, limit: 2, cursor });

    expect(first.messages?.map((message) => message.ts)).toEqual([posted[2], posted[1]]);
    expect(second.messages?.map((message) => message.ts)).toEqual([posted[0]]);
    expect(second.has_more).toBe(false);
  });

  it('filters by oldest', async () => {
    const first = await client.chat.postMessage({ channel, text: 'old' });
    const second = await client.chat.postMessage({ channel, text: 'new' });
    const result = await client.conversations.history({ channel, oldest: first.ts });

    expect(result.messages?.map((message) => message.ts)).toEqual([second.ts]);
  });
});

describe('files upload', () => {
  it('stores a filesUploadV2 upload', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'export please' });
    const content = 'run,status\nHelloFlow/12,ok\n';
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: parent.ts ?? '',
      content,
      filename: 'runs.csv',
      title: 'Runs',
      initial_comment: 'Here are the runs.',
    });
    const [file] = server.store.files();

    expect(file?.bytes?.toString('utf8')).toBe(content);
    expect(file?.filename).toBe('runs.csv');
    expect(file?.title).toBe('Runs');
    expect(file?.threadTs).toBe(parent.ts);
    expect(file?.completed).toBe(true);
  });

  it('posts the file message in the thread', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'export please' });
    await client.filesUploadV2({
      channel_id: channel,
      thread_ts: parent.ts ?? '',
      content: 'a,b\n',
      filename: 'table.csv',
      initial_comment: 'The table.',
    });
    const replies = await server.waitForBotReply({ channel, ts: parent.ts ?? '' });

    expect(replies[0]?.text).toBe('The table.');
    expect(replies[0]?.files?.[0]?.name).toBe('table.csv');
  });

  it('rejects completing a file never uploaded', async () => {
    const started = await client.files.getUploadURLExternal({ filename: 'ghost.csv', length: 4 });
    const error = await slackErrorOf(
      client.files.completeUploadExternal({ files: [{ id: started.file_id ?? '' }], channel_id: channel }),
    );

    expect(error).toBe('file_not_found');
  });
});

describe('users.info', () => {
  it('describes a simulated user', async () => {
    server.addUser({ id: 'U0ALICE001', name: 'alice', tz: 'Europe/Amsterdam' });
    const result = await client.users.info({ user: 'U0ALICE001' });

    expect(result.user?.name).toBe('alice');
    expect(result.user?.tz).toBe('Europe/Amsterdam');
    expect([3600, 7200]).toContain(result.user?.tz_offset);
  });

  it('rejects an unknown user', async () => {
    const error = await slackErrorOf(client.users.info({ user: 'U0NOBODY01' }));

    expect(error).toBe('user_not_found');
  });
});

describe('faults', () => {
  it('rate limit is retried by the WebClient', async () => {
    const retrying = createBotClient(server, { retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    server.faults.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const posted = await retrying.chat.postMessage({ channel, text: 'after the wait' });
    const statuses = server.store.calls('chat.postMessage').map((call) => call.status);

    expect(posted.ok).toBe(true);
    expect(statuses).toEqual([429, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('rate limit sends Retry-After', async () => {
    server.faults.rateLimit('*', { retryAfterSeconds: 7 });
    const response = await fetch(`${server.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.botToken}` },
    });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('failMethod fails the given number of calls', async () => {
    server.faults.failMethod('chat.postMessage', 'channel_not_found', { times: 1 });
    const error = await slackErrorOf(client.chat.postMessage({ channel, text: 'first' }));
    const second = await client.chat.postMessage({ channel, text: 'second' });

    expect(error).toBe('channel_not_found');
    expect(second.ok).toBe(true);
  });
});
