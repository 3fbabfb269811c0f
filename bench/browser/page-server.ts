/**
 * Serves the benchmark pages on loopback: `/bare.html` (plain RTCPeerConnection), `/peerjs.html`
 * (PeerJS's own browser bundle from node_modules) and `/sdk.html` (the Switchboard SDK, bundled from source
 * with esbuild when the server starts). Pages come from an http:// origin, not file://, so
 * WebSocket and getUserMedia behave as they do for users (127.0.0.1 counts as a secure context).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { bundleSdk } from '@switchboard/testing';

const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));
const PEERJS_BUNDLE = join(dirname(createRequire(import.meta.url).resolve('peerjs')), 'peerjs.min.js');

function html(...scripts: string[]): string {
  return `<!doctype html><meta charset="utf-8"><title>bench</title>${scripts.map((s) => `<script src="${s}"></script>`).join('')}`;
}

type Routes = Record<string, () => { type: string; body: string }>;

/** A script from pages/, read per request so that an edited page needs no restart. */
const pageScript = (name: string) => () => ({
  type: 'text/javascript',
  body: readFileSync(join(PAGES_DIR, name), 'utf8'),
});

const ROUTES: Routes = {
  // bench-page.js (what every page shares: window.benchPage) loads first.
  '/bare.html': () => ({ type: 'text/html', body: html('/bench-page.js', '/bare-page.js') }),
  '/sdk.html': () => ({
    type: 'text/html',
    body: html('/switchboard-sdk.js', '/bench-page.js', '/sdk-page.js'),
  }),
  '/peerjs.html': () => ({
    type: 'text/html',
    body: html('/peerjs.min.js', '/bench-page.js', '/peerjs-page.js'),
  }),
  '/bench-page.js': pageScript('bench-page.js'),
  '/bare-page.js': pageScript('bare-page.js'),
  '/sdk-page.js': pageScript('sdk-page.js'),
  '/peerjs-page.js': pageScript('peerjs-page.js'),
  '/peerjs.min.js': () => ({ type: 'text/javascript', body: readFileSync(PEERJS_BUNDLE, 'utf8') }),
};

/** A running page server. */
export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(): Promise<PageServer> {
  const sdk = await bundleSdk();
  const routes: Routes = {
    ...ROUTES,
    '/switchboard-sdk.js': () => ({ type: 'text/javascript', body: sdk }),
  };
  const server: Server = createServer((request, response) => {
    const route = routes[new URL(request.url ?? '/', 'http://x').pathname];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    const { type, body } = route();
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
