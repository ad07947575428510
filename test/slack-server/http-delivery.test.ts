import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signSlackRequest, startSlackServer, type SlackServer } from './index.ts';

const channel = 'C0GENERAL1';
const alice = 'U0ALICE001';
const signingSecret = 'test-signing-secret';

/** One request as the receiving endpoint saw it. */
interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Writes the response to the endpoint's n-th request (0-based). Writing none leaves the request hanging. */
type Responder = (index: number, response: ServerResponse) => void;

let server: SlackServer;
let endpoint: Server;
let received: ReceivedRequest[];

beforeEach(async () => {
  server = await startSlackServer({ httpTimeoutMs: 200 });
  received = [];
});

afterEach(async () => {
  await server.close();
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
});

/** Starts a plain HTTP endpoint on 127.0.0.1 and points the server's HTTP delivery at it. */
async function startEndpoint(respond: Responder): Promise<void> {
  endpoint = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(received.length - 1, response);
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const { port } = endpoint.address() as AddressInfo;
  server.deliverOverHttp(`http://127.0.0.1:${port}/slack/events`, signingSecret);
}

function answer(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}

describe('HTTP delivery', () => {
  it('signs the request', async () => {
    await startEndpoint((_index, response) => answer(response, 200));
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await server.waitForEventState(eventId, 'acked');
    const [request] = received;
    const timestamp = Number(request?.headers['x-slack-request-timestamp']);

    expect(request?.headers['x-slack-signature']).toBe(signSlackRequest(signingSecret, timestamp, request?.body ?? ''));
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'event_callback', event_id: eventId });
    expect(request?.headers['x-slack-retry-num']).toBeUndefined();
  });

  it('retries after an error status', async () => {
    await startEndpoint((index, response) => answer(response, index === 0 ? 500 : 200));
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await server.waitForEventState(eventId, 'acked');

    expect(received).toHaveLength(2);
    expect(received[1]?.headers['x-slack-retry-num']).toBe('1');
    expect(received[1]?.headers['x-slack-retry-reason']).toBe('http_error');
  });

  it('retries after a timeout', async () => {
    await startEndpoint((index, response) => {
      if (index > 0) {
        answer(response, 200);
      }
    });
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await server.waitForEventState(eventId, 'acked');

    expect(received[1]?.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(server.store.deliveryAttempts(eventId).map((attempt) => attempt.outcome)).toEqual(['timed_out', 'acked']);
  });

  it('abandons after three retries', async () => {
    await startEndpoint((_index, response) => answer(response, 503));
    const { eventId } = server.postUserMessage({ channel, user: alice, text: 'ping', mention: true });
    await server.waitForEventState(eventId, 'abandoned');

    expect(received.map((request) => request.headers['x-slack-retry-num'])).toEqual([undefined, '1', '2', '3']);
  });
});

describe('HTTP delivery target', () => {
  it('rejects a non-loopback URL', async () => {
    await startEndpoint((_index, response) => answer(response, 200));

    expect(() => server.deliverOverHttp('http://192.0.2.10/slack/events', signingSecret)).toThrow(/not on loopback/);
  });
});
