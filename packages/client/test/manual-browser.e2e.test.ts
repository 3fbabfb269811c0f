/**
 * Serverless mode with a real browser: a complete (non-trickle) offer made by Chromium travels as a
 * copy/paste code to a wrtc answerer, whose answer code goes back, and the link carries messages both ways
 * with no broker in between. Then the other way round (a wrtc offer answered by Chromium). Corrupted codes
 * are refused in the page with `MANUAL_CODE_INVALID`. The page is served by a Switchboard server only
 * because Chromium needs an origin; it never opens a WebSocket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeManualCode, type ChannelMessage, type PeerLink, type PeerManager } from '@switchboard/client';
import {
  createManualNodePeer,
  hasChromium,
  openPeerPage,
  startBrowserPeers,
  type BrowserPeers,
  type PeerPageWindow,
} from '@switchboard/testing';

const skip = !hasChromium();
let lab: BrowserPeers;

beforeAll(async () => {
  if (!skip) lab = await startBrowserPeers(1);
});

afterAll(async () => {
  if (!skip) await lab.close();
});

/** Rejects when `promise` has not settled within 20 s, naming what was awaited. Never a sleep. */
function within<T>(promise: Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Sets up a ManualSignalChannel and PeerManager in the page; an offerer also opens "chat" (which offers). */
function startPageSide(page: Page, role: 'offerer' | 'answerer'): Promise<void> {
  return page.evaluate((r) => {
    const { harness, Switchboard } = window as unknown as PeerPageWindow;
    const signals = new Switchboard.ManualSignalChannel(r);
    const peers = new Switchboard.PeerManager({ signals, iceMode: 'complete' });
    harness.watch(peers);
    harness.stash['signals'] = signals;
    harness.stash['peers'] = peers;
    if (r === 'offerer') harness.channel(peers.connect(signals.remoteId), 'chat');
  }, role);
}

function pageCode(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { harness } = window as unknown as PeerPageWindow;
    const signals = harness.stash['signals'] as InstanceType<
      PeerPageWindow['Switchboard']['ManualSignalChannel']
    >;
    return harness.within(signals.nextCode(), 15_000, 'the page to produce its code');
  });
}

/** Pastes `code` into the page; resolves with the SwitchboardError code it threw, or 'accepted'. */
function pastePageCode(page: Page, code: string): Promise<string> {
  return page.evaluate((text) => {
    const { harness, Switchboard } = window as unknown as PeerPageWindow;
    const signals = harness.stash['signals'] as InstanceType<typeof Switchboard.ManualSignalChannel>;
    try {
      signals.acceptCode(text);
      return 'accepted';
    } catch (error) {
      return error instanceof Switchboard.SwitchboardError
        ? error.code
        : `not a SwitchboardError: ${String(error)}`;
    }
  }, code);
}

/** The page's local description and the messages it received on "chat". */
function pageState(page: Page): Promise<{ sdp: string | undefined; messages: unknown[] }> {
  return page.evaluate(() => {
    const { harness } = window as unknown as PeerPageWindow;
    const peers = harness.stash['peers'] as PeerManager;
    return {
      sdp: peers.links[0]?.pc.localDescription?.sdp,
      messages: harness.record.messages.map((m) => m.message),
    };
  });
}

function nextMessage(link: PeerLink, name: string): Promise<ChannelMessage> {
  return new Promise((resolve) => {
    const existing = link.channels.find((c) => c.name === name);
    if (existing !== undefined) existing.once('message', resolve);
    else link.once('channel', (c) => c.once('message', resolve));
  });
}

function mangle(code: string): string {
  const i = Math.floor(code.length / 2);
  return code.slice(0, i) + (code[i] === 'Q' ? 'R' : 'Q') + code.slice(i + 1);
}

describe.skipIf(skip)(
  `manual signaling with Chromium${skip ? ' (SKIPPED: Chromium is not installed)' : ''}`,
  () => {
    it('a Chromium offer code is answered by wrtc; they connect with no broker and talk both ways', async () => {
      const page = await openPeerPage(lab.browsers[0]!, lab.server);
      const { signals: node, peers: nodePeers } = createManualNodePeer('answerer');
      try {
        await startPageSide(page, 'offerer');
        const offerCode = await pageCode(page);
        // URL-safe text only: it travels in links and chat messages.
        expect(offerCode).toMatch(/^[A-Za-z0-9._~-]+$/);
        const offer = decodeManualCode(offerCode, 'offer');
        expect(offer.sdp).toContain('a=candidate:');
        expect(offer.sdp).toBe((await pageState(page)).sdp);

        const nodeLink = new Promise<PeerLink>((resolve) => nodePeers.once('link', resolve));
        node.acceptCode(offerCode);
        const answerCode = await within(node.nextCode(), 'the wrtc answer code');
        const link = await nodeLink;
        expect(decodeManualCode(answerCode, 'answer').sdp).toBe(link.pc.localDescription?.sdp);
        const greeting = nextMessage(link, 'chat');

        // Mangled and truncated answers, and the offer pasted back by mistake, are refused in the page.
        expect(await pastePageCode(page, mangle(answerCode))).toBe('MANUAL_CODE_INVALID');
        expect(await pastePageCode(page, answerCode.slice(0, -12))).toBe('MANUAL_CODE_INVALID');
        expect(await pastePageCode(page, offerCode)).toBe('MANUAL_CODE_INVALID');
        expect(await pastePageCode(page, 'not a code at all!')).toBe('MANUAL_CODE_INVALID');
        expect(await pastePageCode(page, answerCode)).toBe('accepted');

        await page.evaluate(async () => {
          const { harness } = window as unknown as PeerPageWindow;
          const peers = harness.stash['peers'] as PeerManager;
          await harness.within(
            peers.links[0]!.channel('chat').send('pasted from chromium'),
            15_000,
            'chat to open',
          );
        });
        expect(await within(greeting, 'the page message')).toEqual({
          kind: 'text',
          text: 'pasted from chromium',
        });
        await within(link.channel('chat').sendJson({ from: 'wrtc' }), 'the reply to be sent');
        await page.waitForFunction(
          () => (window as unknown as PeerPageWindow).harness.record.messages.length === 1,
          undefined,
          { timeout: 15_000 },
        );
        expect((await pageState(page)).messages).toEqual([{ kind: 'json', value: { from: 'wrtc' } }]);
        expect(
          await page.evaluate(() => (window as unknown as PeerPageWindow).harness.record.errors),
        ).toEqual([]);
      } finally {
        nodePeers.close();
        await page.context().close();
      }
    });

    it('a wrtc offer code is answered by Chromium, and the Chromium answer code brings the link up', async () => {
      const page = await openPeerPage(lab.browsers[0]!, lab.server);
      const { signals: node, peers: nodePeers } = createManualNodePeer('offerer');
      try {
        await startPageSide(page, 'answerer');
        const link = nodePeers.connect(node.remoteId);
        const chat = link.channel('chat');
        const offerCode = await within(node.nextCode(), 'the wrtc offer code');
        // An answerer refuses a corrupted offer, and an offer of the wrong kind, before making any answer.
        expect(await pastePageCode(page, mangle(offerCode))).toBe('MANUAL_CODE_INVALID');
        expect(await pastePageCode(page, offerCode)).toBe('accepted');
        const answerCode = await pageCode(page);
        const answer = decodeManualCode(answerCode, 'answer');
        expect(answer.sdp).toContain('a=candidate:');
        expect(answer.sdp).toBe((await pageState(page)).sdp);
        node.acceptCode(answerCode);

        await within(chat.send('pasted from wrtc'), 'chat to open');
        await page.waitForFunction(
          () => (window as unknown as PeerPageWindow).harness.record.messages.length === 1,
          undefined,
          { timeout: 15_000 },
        );
        expect((await pageState(page)).messages).toEqual([{ kind: 'text', text: 'pasted from wrtc' }]);
        const reply = new Promise<ChannelMessage>((resolve) => chat.once('message', resolve));
        await page.evaluate(async () => {
          const { harness } = window as unknown as PeerPageWindow;
          const peers = harness.stash['peers'] as PeerManager;
          await harness.within(peers.links[0]!.channel('chat').send('answered by chromium'), 15_000, 'reply');
        });
        expect(await within(reply, 'the reply')).toEqual({ kind: 'text', text: 'answered by chromium' });
      } finally {
        nodePeers.close();
        await page.context().close();
      }
    });
  },
);
