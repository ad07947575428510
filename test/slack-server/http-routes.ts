import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '../../src/logger.ts';
import { receiveUpload, uploadPathPrefix } from './file-methods.ts';
import type { MethodContext } from './method-spec.ts';
import { parseApiArgs, readBearerToken, readRawBody, readUploadBytes } from './request-body.ts';
import { SlackApiError } from './slack-api-error.ts';
import type { SocketModeHub } from './socket-mode-hub.ts';
import type { WebApi } from './web-api.ts';

/** Path prefix of the Web API: `/api/<method>`. */
export const apiPathPrefix = '/api/';

/** What the routes hand requests to. */
export interface SlackRoutes {
  webApi: WebApi;
  methodContext: MethodContext;
  hub: SocketModeHub;
  logger: Logger;
}

/**
 * Routes the HTTP server's requests: `/api/<method>` to the Web API, POSTs to
 * `/upload/v1/<file id>` to the upload store, and WebSocket upgrades to Socket Mode.
 */
export function attachSlackRoutes(server: Server, routes: SlackRoutes): void {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void handleRequest(routes, request, response);
  });
  server.on('upgrade', (request, socket, head: Buffer) => routes.hub.handleUpgrade(request, socket, head));
}

async function handleRequest(routes: SlackRoutes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readRawBody(request);
    if (pathname.startsWith(apiPathPrefix)) {
      await respondToApiCall(routes, pathname.slice(apiPathPrefix.length), request, rawBody, response);
      return;
    }
    if (pathname.startsWith(uploadPathPrefix) && request.method === 'POST') {
      const fileId = pathname.slice(uploadPathPrefix.length);
      const reply = receiveUpload(routes.methodContext, fileId, await readUploadBytes(request, rawBody));
      writeText(response, reply.status, reply.body);
      return;
    }
    writeText(response, 404, `no route for ${request.method ?? 'GET'} ${pathname}`);
  } catch (error) {
    routes.logger.error('Request handling failed', { url: request.url, error });
    if (!response.headersSent) {
      writeText(response, 500, 'internal error in the Slack test server');
    }
  }
}

async function respondToApiCall(
  routes: SlackRoutes,
  method: string,
  request: IncomingMessage,
  rawBody: Buffer,
  response: ServerResponse,
): Promise<void> {
  let result;
  try {
    const args = await parseApiArgs(request, rawBody);
    result = await routes.webApi.handle(method, args, readBearerToken(request));
  } catch (error) {
    if (!(error instanceof SlackApiError)) {
      throw error;
    }
    result = routes.webApi.rejectMalformed(method, error);
  }
  response.writeHead(result.status, { ...result.headers, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(result.body));
}

function writeText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
