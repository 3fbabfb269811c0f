/**
 * The HTTP side of the server: liveness, readiness, metrics and the web app. Everything else (the
 * WebSocket upgrade) is the transport's.
 *
 * - `GET /healthz`: 200 while the process serves HTTP at all (liveness).
 * - `GET /readyz`: 200 when the cluster bus is ready and the server is not draining, else 503 (readiness:
 *   a load balancer stops sending new clients here).
 * - `GET /metrics`: Prometheus text.
 * - anything else: the static web app (see static-files.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { serveStatic } from './static-files.js';

/** What the HTTP handler reads from the server. */
export interface HttpHandlerDeps {
  readonly registry: Registry;
  /** Whether this node should receive new clients. */
  isReady(): boolean;
  readonly staticDir: string | undefined;
  /** Called when a request handler fails unexpectedly. */
  onError(error: unknown): void;
}

/** Make the `request` listener of the HTTP server. */
export function createHttpHandler(
  deps: HttpHandlerDeps,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      deps.onError(error);
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
  };
}

async function handle(
  deps: HttpHandlerDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.statusCode = 405;
    response.setHeader('Allow', 'GET, HEAD');
    response.end();
    return;
  }
  const path = (request.url ?? '/').split('?', 1)[0];
  response.setHeader('Cache-Control', 'no-store');
  switch (path) {
    case '/healthz':
      return json(response, 200, { status: 'ok' });
    case '/readyz': {
      const ready = deps.isReady();
      return json(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready' });
    }
    case '/metrics': {
      const text = await deps.registry.metrics();
      response.statusCode = 200;
      response.setHeader('Content-Type', deps.registry.contentType);
      response.end(text);
      return;
    }
    default:
      response.removeHeader('Cache-Control');
      return serveStatic(deps.staticDir, request, response);
  }
}

function json(response: ServerResponse, status: number, body: object): void {
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}
