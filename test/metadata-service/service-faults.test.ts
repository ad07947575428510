import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/logger.ts';
import { LocalBlobStore } from '../../src/metaflow/local-blob-store.ts';
import { MetadataServiceClient } from '../../src/metaflow/service/service-client.ts';
import { ServiceReader } from '../../src/metaflow/service/service-reader.ts';
import { createThreadHarness } from '../support/thread-harness.ts';
import type { Fault } from './contract-server.ts';
import { openServiceReader, serviceDatastoreRoot, type ServiceSetup } from './service-fixture.ts';

let setup: ServiceSetup | null = null;

afterEach(async () => {
  await setup?.close();
  setup = null;
});

/** A loopback port with nothing listening: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('service faults', () => {
  test('service down', async () => {
    const client = new MetadataServiceClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, logger: silentLogger, retries: 1, retryDelayMs: 5 });
    const reader = new ServiceReader({ client, blobs: new LocalBlobStore(serviceDatastoreRoot), logger: silentLogger });
    await expect(reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('cannot be reached') });
    expect(client.requestCount).toBe(2);
  });

  const faults: [string, Fault, string][] = [
    ['slow', { kind: 'slow', delayMs: 1_000 }, 'did not answer within'],
    ['HTTP 500', { kind: 'status', status: 500 }, 'internal error'],
    ['HTTP 503', { kind: 'status', status: 503 }, 'unavailable (HTTP 503)'],
    ['invalid JSON', { kind: 'body', text: '{"flow_id": ', contentType: 'text/plain' }, 'not JSON'],
    ['HTML page', { kind: 'body', text: '<html><body>Bad gateway</body></html>', contentType: 'text/html' }, 'not JSON'],
  ];
  for (const [name, fault, message] of faults) {
    test(name, async () => {
      setup = await openServiceReader('c', { timeoutMs: 100 });
      setup.server.fault = fault;
      await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining(message) });
    });
  }

  test('timeout retried once', async () => {
    setup = await openServiceReader('c', { timeoutMs: 100 });
    setup.server.fault = { kind: 'slow', delayMs: 1_000 };
    await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ message: expect.stringContaining('did not answer within 100 ms') });
    expect(setup.client.requestCount).toBe(2);
  });

  test('wrong base path: no route', async () => {
    setup = await openServiceReader('c');
    const client = new MetadataServiceClient({ baseUrl: `${setup.server.url}/api`, logger: silentLogger });
    const reader = new ServiceReader({ client, blobs: new LocalBlobStore(serviceDatastoreRoot), logger: silentLogger });
    await expect(reader.listFlows()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('has no route /flows (HTTP 404)') });
  });

  test('base path ending in /flows: no route', async () => {
    setup = await openServiceReader('c');
    const client = new MetadataServiceClient({ baseUrl: `${setup.server.url}/flows`, logger: silentLogger });
    const reader = new ServiceReader({ client, blobs: new LocalBlobStore(serviceDatastoreRoot), logger: silentLogger });
    await expect(reader.listFlows()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('has no route /flows (HTTP 404)') });
  });

  test('redirect not followed', async () => {
    const elsewhere: string[] = [];
    const target = createHttpServer((request, response) => {
      elsewhere.push(String(request.headers['x-api-key']));
      response.end('[]');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    const redirecting = createHttpServer((_request, response) => {
      response.writeHead(302, { Location: `${targetUrl}/flows` });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const client = new MetadataServiceClient({ baseUrl: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`, headers: { 'x-api-key': 'secret' }, logger: silentLogger });
      await expect(client.getList('/flows')).rejects.toMatchObject({ message: expect.stringContaining(`redirected the bot to ${targetUrl}/flows (HTTP 302)`) });
      expect(elsewhere).toEqual([]);
    } finally {
      await Promise.all([target, redirecting].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  test('JSON 404: record not found', async () => {
    setup = await openServiceReader('c');
    setup.server.fault = { kind: 'status', status: 404 };
    await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('500 detail stays out of the message', async () => {
    setup = await openServiceReader('c');
    setup.server.fault = { kind: 'status', status: 500 };
    await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toSatisfy((error: Error) => !error.message.includes('invalid literal'));
  });

  test('503 is retried', async () => {
    setup = await openServiceReader('c');
    setup.server.fault = { kind: 'status', status: 503 };
    await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ code: 'unavailable' });
    expect(setup.client.requestCount).toBe(3);
  });

  test('400 is not retried', async () => {
    setup = await openServiceReader('c');
    setup.server.fault = { kind: 'status', status: 400 };
    await expect(setup.reader.getRun('LinearParamFlow', '1')).rejects.toMatchObject({ code: 'unavailable' });
    expect(setup.client.requestCount).toBe(1);
  });
});

describe('thread on the metadata service', () => {
  test('conversation', async () => {
    setup = await openServiceReader('c');
    const harness = createThreadHarness({ reader: setup.reader, now: setup.now });
    const inspect = (await harness.say('inspect LinearParamFlow/1')).map((reply) => reply.text).join('\n');
    expect(inspect).toContain('LinearParamFlow/1');
    const params = (await harness.say('params')).map((reply) => reply.text).join('\n');
    expect(params).toContain('first-run');
    const data = (await harness.say('data start/numbers')).map((reply) => reply.text).join('\n');
    expect(data).toContain('[0, 1, 2, 3, 4]');
    const logs = (await harness.say('logs start')).map((reply) => reply.text).join('\n');
    expect(logs).toContain('start: alpha=2.0 label=first-run n=5 user=alice');
  });

  test('service failure reply', async () => {
    setup = await openServiceReader('c');
    const harness = createThreadHarness({ reader: setup.reader, now: setup.now });
    setup.server.fault = { kind: 'status', status: 500 };
    const failed = (await harness.say('inspect LinearParamFlow/1')).map((reply) => reply.text).join('\n');
    expect(failed).toContain('internal error');
    expect(failed).not.toContain('Traceback');
    setup.server.fault = { kind: 'none' };
    const recovered = (await harness.say('inspect ForeachFlow/2')).map((reply) => reply.text).join('\n');
    expect(recovered).toContain('ForeachFlow/2');
  });
});
