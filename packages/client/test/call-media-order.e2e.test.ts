/**
 * A call through the SDK's CallController between two Chromium processes, where the caller opens a data
 * channel right after calling and the callee answers the moment it rings with its camera and microphone.
 *
 * Regression test for the lost data section (ADR 0008 addendum): the callee used to offer its audio and
 * video on accept while the caller's channel offer (m=application at mid 0) was still on its way. When the
 * caller was the polite side it rolled that offer back, and Chromium 156 then never negotiated data on the
 * connection again: the channel stayed `connecting` and the two sides renegotiated in a loop. The caller
 * here is always the polite side. With the caller offering first (call.ts), the channel must open every
 * round, with video playing both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Call } from '@switchboard/client';
import {
  closePages,
  hasChromium,
  startBrowserPeers,
  type BrowserPeers,
  type PeerPageWindow,
} from '@switchboard/testing';
import { getMedia, waitForPlayback } from './page-media.js';

const skip = !hasChromium();
const ROUNDS = 5;
let lab: BrowserPeers;

beforeAll(async () => {
  if (!skip) lab = await startBrowserPeers(2);
});

afterAll(async () => {
  if (!skip) await lab.close();
});

/** The callee accepts the next call as soon as it rings, with its media, and shows the caller's video. */
function answerWithMedia(page: Page): Promise<void> {
  return page.evaluate(() => {
    const { harness } = window as unknown as PeerPageWindow;
    harness.peer!.calls.once('incoming', (call: Call) => {
      call.on('stream', (stream) => harness.showStream(stream, 'remote'));
      call.accept(harness.stash['local'] as MediaStream);
    });
  });
}

/** The caller calls with its media and opens `chat` at once, before the accept can arrive. */
function callWithChannel(page: Page, to: string): Promise<void> {
  return page.evaluate(async (peerId) => {
    const { harness } = window as unknown as PeerPageWindow;
    const call = harness.peer!.calls.call(peerId, { video: true }, harness.stash['local'] as MediaStream);
    call.on('stream', (stream) => harness.showStream(stream, 'remote'));
    const chat = harness.channel(harness.peer!.peers.connect(peerId), 'chat');
    harness.stash['sent'] = chat.send('hello from the caller');
    await harness.within(call.whenActive(), 20_000, 'the callee to accept');
  }, to);
}

/** Waits for `count` channel messages on the page. */
async function waitForMessages(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (wanted) => (window as unknown as PeerPageWindow).harness.record.messages.length >= wanted,
    count,
    { timeout: 20_000 },
  );
}

/** What a page knows about its link, for the assertions and for a failure's message. */
function linkReport(page: Page) {
  return page.evaluate(() => {
    const { harness } = window as unknown as PeerPageWindow;
    const links = harness.peer!.peers.links;
    const link = links[0];
    return {
      links: links.length,
      polite: link?.isPolite,
      state: link?.state,
      channels: link?.channels.map((c) => `${c.name}:${c.isOpen ? 'open' : 'not open'}`),
      dataSection: /m=application \d+/.exec(link?.pc.localDescription?.sdp ?? '')?.[0],
      messages: harness.record.messages.map((m) => [m.from, m.channel, m.message]),
      errors: harness.record.errors,
      signals: harness.record.signals,
      video: harness.videoState('remote'),
    };
  });
}

/** Runs `wait`; if it fails, adds what each page saw to the message. */
async function explained(round: number, pages: Page[], wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    const seen = await Promise.all(pages.map((page) => linkReport(page)));
    throw new Error(
      `round ${round}: ${(error as Error).message}\nthe pages saw: ${JSON.stringify(seen, null, 1)}`,
      { cause: error },
    );
  }
}

describe.skipIf(skip)(
  `SDK call media order in Chromium${skip ? ' (SKIPPED: Chromium is not installed)' : ''}`,
  () => {
    it(`a polite caller's channel opens while the callee answers with audio+video, ${ROUNDS} times`, async () => {
      for (let round = 1; round <= ROUNDS; round += 1) {
        const [ada, adaId] = await lab.pagePeer(0, `order-${round}`, 'ada');
        const [bob, bobId] = await lab.pagePeer(1, `order-${round}`, 'bob');
        // The greater peer id is the polite side (PROTOCOL.md, "Politeness"): make it the caller.
        const [caller, callerId, callee, calleeId] =
          adaId > bobId ? [ada, adaId, bob, bobId] : [bob, bobId, ada, adaId];
        try {
          await Promise.all([getMedia(caller), getMedia(callee)]);
          await answerWithMedia(callee);
          await callWithChannel(caller, calleeId);
          await explained(round, [caller, callee], async () => {
            await waitForMessages(callee, 1);
            await callee.evaluate(async (peerId) => {
              const { harness } = window as unknown as PeerPageWindow;
              const link = harness.peer!.peers.link(peerId)!;
              await harness.within(harness.channel(link, 'chat').send('hello back'), 20_000, 'the reply');
            }, callerId);
            await waitForMessages(caller, 1);
            const [callerTime, calleeTime] = await Promise.all([
              waitForPlayback(caller, 0, 0.5),
              waitForPlayback(callee, 0, 0.5),
            ]);
            await Promise.all([
              waitForPlayback(caller, callerTime, 0.5),
              waitForPlayback(callee, calleeTime, 0.5),
            ]);
          });
          const [callerSaw, calleeSaw] = await Promise.all([linkReport(caller), linkReport(callee)]);
          const context = `round ${round}: caller ${JSON.stringify(callerSaw)} callee ${JSON.stringify(calleeSaw)}`;
          expect(callerSaw.polite, context).toBe(true);
          expect(calleeSaw.messages, context).toEqual([
            [callerId, 'chat', { kind: 'text', text: 'hello from the caller' }],
          ]);
          expect(callerSaw.messages, context).toEqual([
            [calleeId, 'chat', { kind: 'text', text: 'hello back' }],
          ]);
          expect([...callerSaw.errors, ...calleeSaw.errors], context).toEqual([]);
          for (const seen of [callerSaw, calleeSaw]) {
            expect(seen.links, context).toBe(1);
            expect(seen.state?.connectionState, context).toBe('connected');
            expect(seen.state?.signalingState, context).toBe('stable');
            // The bug left the data section out of later offers, or rejected it with port 0.
            expect(seen.dataSection, context).toMatch(/^m=application [1-9]/);
          }
        } finally {
          await closePages(ada, bob);
        }
      }
    }, 300_000);
  },
);
