/**
 * The set-up every SDK browser test repeats: one real server that serves the test page, and one Chromium
 * process per browser peer (each peer in its own process, as users are). `pagePeer` opens a fresh page in
 * one of the browsers and joins a room through the page's own SignalingClient.
 *
 * @example
 * const lab = await startBrowserPeers(2);
 * const [ada, adaId] = await lab.pagePeer(0, 'room', 'ada');
 * afterAll(() => lab.close());
 */
import type { Browser, Page } from 'playwright-core';
import type { ServerOptions } from '@switchboard/server';
import { launchChromium } from './chromium.js';
import { openPeerPage, startPeerPageServer } from './page-harness.js';
import type { PageJoinOptions, PeerPageWindow } from './peer-page.js';
import type { StartedServer } from './start-server.js';

/** A server and its Chromium processes. */
export interface BrowserPeers {
  readonly server: StartedServer;
  readonly browsers: readonly Browser[];
  /** Opens a page in browser `index`, joins `room` as `nickname`; resolves with the page and its peer id. */
  pagePeer(
    index: number,
    room: string,
    nickname: string,
    link?: PageJoinOptions['link'],
  ): Promise<[Page, string]>;
  /** Closes the browsers, then the server. */
  close(): Promise<void>;
}

/** Starts a page server and `browserCount` Chromium processes (launched one after another: 2 cores). */
export async function startBrowserPeers(
  browserCount = 2,
  serverOptions: Partial<ServerOptions> = {},
): Promise<BrowserPeers> {
  const server = await startPeerPageServer(serverOptions);
  const browsers: Browser[] = [];
  try {
    for (let i = 0; i < browserCount; i += 1) browsers.push(await launchChromium());
  } catch (error) {
    await Promise.all(browsers.map((browser) => browser.close()));
    await server.close();
    throw error;
  }
  return {
    server,
    browsers,
    async pagePeer(index, room, nickname, link) {
      const browser = browsers[index];
      if (browser === undefined) throw new Error(`there is no browser ${index}`);
      const page = await openPeerPage(browser, server);
      const peerId = await page.evaluate(
        (options) => (window as unknown as PeerPageWindow).harness.join(options),
        link === undefined ? { room, nickname } : { room, nickname, link },
      );
      return [page, peerId];
    },
    async close() {
      await Promise.all(browsers.map((browser) => browser.close()));
      await server.close();
    },
  };
}

/** Closes each page's context (and with it the page's peer). */
export async function closePages(...pages: Page[]): Promise<void> {
  await Promise.all(pages.map((page) => page.context().close()));
}
