import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A loopback server that misbehaves on purpose, and how many requests or connections it saw. */
export interface FailingServer {
  endpoint: string;
  /** HTTP requests (status server) or TCP connections (silent server) received so far. */
  readonly hits: number;
  close(): Promise<void>;
}

/** Starts a TCP server on 127.0.0.1 that accepts connections and never sends a byte. */
export async function startSilentServer(): Promise<FailingServer> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createTcpServer((socket) => {
    hits += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    get hits() {
      return hits;
    },
    close: () => closeServer(server, () => sockets.forEach((socket) => socket.destroy())),
  };
}

/** Starts an HTTP server on 127.0.0.1 that responds to every request with `status` and an S3-style error body. */
export async function startStatusServer(status: number, code: string): Promise<FailingServer> {
  let hits = 0;
  const server = createHttpServer((request, response) => {
    hits += 1;
    request.resume();
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>test failure</Message></Error>`;
    response.writeHead(status, { 'content-type': 'application/xml', connection: 'close' });
    response.end(body);
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    get hits() {
      return hits;
    },
    close: () => closeServer(server, () => server.closeAllConnections()),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server, dropConnections: () => void): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  dropConnections();
  await closed;
}
