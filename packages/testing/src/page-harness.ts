/**
 * Real-browser tests of the SDK: bundle `@switchboard/client` for the browser with esbuild (from source,
 * through the `source` export condition, so tests never run a stale build), and serve it with a tiny page
 * from the broker's OWN HTTP origin. The origin matters: Chromium 156 blocks a loopback WebSocket from
 * about:blank (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS), and 127.0.0.1 over http is a secure context, so
 * getUserMedia and WebCrypto work as they do for users.
 *
 * @example
 * const server = await startPeerPageServer();
 * const page = await openPeerPage(await launchChromium(), server);
 * const peerId = await page.evaluate(() => (window as unknown as PeerPageWindow).harness.join({ room: 'r', nickname: 'ada' }));
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import type { ServerOptions } from '@switchboard/server';
import { startServer, type StartedServer } from './start-server.js';

const PEER_PAGE_ENTRY = fileURLToPath(new URL('./peer-page.ts', import.meta.url));

/** The page every test browser opens. */
export const PEER_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard test peer</title>
<script>
// Vitest compiles test files with esbuild's keepNames, which wraps functions in __name(); the callbacks a
// test hands to page.evaluate carry those calls into the page, so the page needs a no-op __name.
globalThis.__name = (fn) => fn;
</script>
<script src="/peer-page.js"></script>
</head><body></body></html>
`;

let peerPageBundle: Promise<string> | undefined;
let sdkBundle: Promise<string> | undefined;

async function bundle(
  options: { entry: string } | { contents: string; resolveDir: string },
): Promise<string> {
  const result = await build({
    ...('entry' in options
      ? { entryPoints: [options.entry] }
      : { stdin: { contents: options.contents, resolveDir: options.resolveDir, loader: 'ts' } }),
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    // The workspace packages export their TypeScript sources under this condition (vitest uses it too).
    conditions: ['source'],
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no output');
  return output.text;
}

/**
 * The SDK plus the test helpers (peer-page.ts) as one browser script, built once per process. It sets
 * `window.Switchboard` (every export of `@switchboard/client`) and `window.harness`.
 */
export function bundlePeerPage(): Promise<string> {
  peerPageBundle ??= bundle({ entry: PEER_PAGE_ENTRY });
  return peerPageBundle;
}

/**
 * The SDK alone as one browser script that sets `window.Switchboard`, built once per process (the bench's
 * SDK page uses it, so it measures the SDK and nothing else).
 */
export function bundleSdk(): Promise<string> {
  sdkBundle ??= bundle({
    contents:
      "import * as Switchboard from '@switchboard/client';\nObject.assign(window, { Switchboard });\n",
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
  });
  return sdkBundle;
}

/**
 * Starts a real server (see `startServer`) whose static folder holds the test page (`/`) and its bundle
 * (`/peer-page.js`). Closing it also removes the folder.
 */
export async function startPeerPageServer(options: Partial<ServerOptions> = {}): Promise<StartedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-peer-page-'));
  try {
    await writeFile(join(dir, 'index.html'), PEER_PAGE_HTML);
    await writeFile(join(dir, 'peer-page.js'), await bundlePeerPage());
    const server = await startServer({ ...options, staticDir: dir });
    return {
      ...server,
      close: async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Opens the test page of `server` (from `startPeerPageServer`) in a new context of `browser`, and resolves
 * once `window.harness` is there. The context keeps Chromium's media permission from the launch flags: it
 * is never given `permissions: []`, which would revoke it and, with it, the 127.0.0.1 candidates.
 */
export async function openPeerPage(browser: Browser, server: StartedServer): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/`);
  await page.waitForFunction(() => 'harness' in window, undefined, { timeout: 10_000 });
  return page;
}
