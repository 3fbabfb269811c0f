/**
 * The SDP codec's idle warm-up in a real browser (ADR 0023): a `PeerManager` that packs runs it through
 * Chromium's `requestIdleCallback`, ten rounds that all complete (a round that throws would end it early),
 * once per page; one with `packSignals: false` never starts it. Each test opens its own page, because the
 * warm-up runs once per realm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  hasChromium,
  launchChromium,
  openPeerPage,
  startPeerPageServer,
  type PeerPageWindow,
} from '@switchboard/testing';

type Server = Awaited<ReturnType<typeof startPeerPageServer>>;

const skip = !hasChromium();
let server: Server;
let browser: Browser;

beforeAll(async () => {
  if (skip) return;
  server = await startPeerPageServer();
  browser = await launchChromium();
});

afterAll(async () => {
  if (skip) return;
  await browser.close();
  await server.close();
});

/** What the page saw: idle callbacks asked for, idle callbacks run, and how many were asked for at once. */
interface IdleCount {
  readonly requestedInConstructor: number;
  readonly requested: number;
  readonly ran: number;
}

/**
 * In a fresh page (a new realm, so a new warm-up): counts its `requestIdleCallback` calls while it
 * constructs two PeerManagers, then waits (at most 15 s, never a sleep) until `expectedRuns` of them ran and
 * one more idle period went by, in which a warm-up that was not done would have asked for another.
 */
async function countIdleCallbacks(packSignals: boolean, expectedRuns: number): Promise<IdleCount> {
  const page = await openPeerPage(browser, server);
  try {
    return await countIdleCallbacksIn(page, packSignals, expectedRuns);
  } finally {
    await page.context().close();
  }
}

function countIdleCallbacksIn(page: Page, packSignals: boolean, expectedRuns: number): Promise<IdleCount> {
  return page.evaluate(
    async ({ packSignals: pack, expectedRuns: runs }) => {
      const { Switchboard } = window as unknown as PeerPageWindow;
      const original = window.requestIdleCallback.bind(window);
      let requested = 0;
      let ran = 0;
      let onRun = (): void => undefined;
      window.requestIdleCallback = (callback, options) => {
        requested += 1;
        return original((deadline) => {
          callback(deadline);
          ran += 1;
          onRun();
        }, options);
      };
      const signals = new Switchboard.ManualSignalChannel('offerer');
      new Switchboard.PeerManager({ signals, packSignals: pack });
      new Switchboard.PeerManager({ signals, packSignals: pack });
      const requestedInConstructor = requested;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${ran} of ${runs} idle callbacks ran`)), 15_000);
        onRun = () => {
          if (ran >= runs) {
            clearTimeout(timer);
            resolve();
          }
        };
        onRun();
      });
      // One more idle period: a warm-up that is not done would ask for its next round in it.
      await new Promise<void>((resolve) => original(() => resolve(), { timeout: 2000 }));
      return { requestedInConstructor, requested, ran };
    },
    { packSignals, expectedRuns },
  );
}

describe.skipIf(skip)('SDP codec warm-up in Chromium', () => {
  it('runs ten rounds in idle callbacks, once per page, when the PeerManager packs', async () => {
    // Two managers, one warm-up: the first round is asked for in the first constructor, nothing in the
    // second, and every round after it asks for the next only once it ran.
    expect(await countIdleCallbacks(true, 10)).toEqual({ requestedInConstructor: 1, requested: 10, ran: 10 });
  });

  it('never starts with packSignals: false', async () => {
    expect(await countIdleCallbacks(false, 0)).toEqual({ requestedInConstructor: 0, requested: 0, ran: 0 });
  });
});
