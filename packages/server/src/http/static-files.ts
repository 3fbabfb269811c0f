/**
 * Serves the web app build: files from one folder, `index.html` for app routes (`/`, `/r/<room>` and any
 * other path without a file extension), and a small built-in page when the app has not been built.
 * Paths are resolved inside the folder only: `..` and encoded tricks cannot leave it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Shown at `/` when there is no web app build to serve. */
export const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Switchboard is running</h1>
<p>The signaling broker is up: WebSocket clients connect to <code>/ws</code> on this host.</p>
<p>The web app is not built yet. Build it with <code>npm run build</code> (or start with <code>npm start</code>,
which builds first), or point <code>--static-dir</code> at a build.</p>
<p><a href="/healthz">/healthz</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
</body></html>
`;

/** Serve `request` from `root`; returns false when it is not a GET/HEAD request it can answer. */
export async function serveStatic(
  root: string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const pathname = decodePath(request.url ?? '/');
  if (pathname === undefined) return send(response, 400, 'text/plain; charset=utf-8', 'bad path');
  const isAppRoute = extname(pathname) === '';
  if (root !== undefined) {
    const file = resolveInside(root, isAppRoute ? '/index.html' : pathname);
    if (file !== undefined && (await isFile(file))) return streamFile(request, response, file, isAppRoute);
  }
  if (isAppRoute)
    return send(
      response,
      200,
      CONTENT_TYPES['.html'] ?? 'text/html',
      request.method === 'HEAD' ? '' : PLACEHOLDER_PAGE,
    );
  return send(response, 404, 'text/plain; charset=utf-8', 'not found');
}

function decodePath(url: string): string | undefined {
  const end = url.search(/[?#]/);
  try {
    const path = decodeURIComponent(end < 0 ? url : url.slice(0, end));
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}

function resolveInside(root: string, pathname: string): string | undefined {
  const base = normalize(root + sep);
  const file = normalize(join(base, pathname));
  return file.startsWith(base) ? file : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function streamFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: string,
  isAppShell: boolean,
): void {
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.statusCode = 200;
  response.setHeader('Content-Type', type);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // Vite puts content-hashed files under /assets/: they never change. The shell must be re-checked.
  const isHashed = !isAppShell && file.includes(`${sep}assets${sep}`);
  response.setHeader('Cache-Control', isHashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.end(body);
}
