import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';

/** Body of the `GET /health` response. */
export interface HealthReport {
  /** True once the bot receives events: Socket Mode connected, or the HTTP endpoint listening. */
  healthy: boolean;
  mode: 'socket' | 'http';
  /** Threads whose state is in memory. */
  threadsInMemory: number;
  /** Seconds since the bot started. */
  uptimeSeconds: number;
  /** Resident set size of the process, in MiB. */
  rssMiB: number;
  /** V8 heap in use, garbage not yet collected included, in MiB. */
  heapUsedMiB: number;
}

/** Path of the health check, in both modes. */
export const healthPath = '/health';

/** Writes the health report as JSON: status 200 when healthy, else 503. */
export function writeHealth(response: ServerResponse, report: HealthReport): void {
  response.writeHead(report.healthy ? 200 : 503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(report));
}

/** A running health server. */
export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /health` on its own port, for Socket Mode, where the bot has no HTTP server of its
 * own. In HTTP mode the same report is a route of the events server.
 */
export async function startHealthServer(options: { host: string; port: number; report: () => HealthReport; logger: Logger }): Promise<HealthServer> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'GET' && request.url === healthPath) {
      writeHealth(response, options.report());
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Only GET ${healthPath} is served here.\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  options.logger.info('health endpoint listening', { host: options.host, port, path: healthPath });
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
