/**
 * Glare with media, Chromium ↔ Chromium: both pages connect to each other at the same instant, each adding
 * its fake camera and microphone and opening a data channel in the same tick. Both sides therefore offer
 * audio, video and a data channel at once; perfect negotiation must leave exactly one working link every
 * time (remote video playing both ways, a channel message both ways) with no error surfaced.
 *
 * Regression test for the "stable with ICE new" stall: the link ended with both sides stable and one
 * side's ICE never leaving `new`, forever (the web app worked around it by letting only one side offer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  closePages,
  hasChromium,
  startBrowserPeers,
  type BrowserPeers,
  type PeerPageWindow,
} from '@switchboard/testing';
import { getMedia, waitForPlayback } from './page-media.js';

const skip = !hasChromium();
const ROUNDS = 10;
let lab: BrowserPeers;

beforeAll(async () => {
  if (!skip) lab = await startBrowserPeers(2);
});

afterAll(async () => {
  if (!skip) await lab.close();
});

/** Arms the page to connect to `to` with its media and a channel at wall-clock time `at`. */
function armConnect(page: Page, to: string, at: number): Promise<void> {
  return page.evaluate(
    ({ peerId, startAt }) => {
      const { harness } = window as unknown as PeerPageWindow;
      const local = harness.stash['local'] as MediaStream;
      // Both pages share the machine's clock, so the two connects land within a millisecond or so.
      setTimeout(
        () => {
          const link = harness.peer!.peers.connect(peerId);
          // If the other side's offer won the race the link exists already, maybe with its stream.
          for (const stream of link.remoteStreams) harness.showStream(stream, 'remote');
          link.on('stream', (stream) => harness.showStream(stream, 'remote'));
          link.addStream(local);
          const chat = harness.channel(link, 'chat');
          harness.stash['sent'] = chat.send(`hello from ${harness.peer!.peerId}`);
        },
        Math.max(0, startAt - Date.now()),
      );
    },
    { peerId: to, startAt: at },
  );
}

/** Runs `wait`; if it fails, adds what each page saw (link states, signals, errors) to the message. */
async function explained(round: number, pages: Page[], wait: () => Promise<void>): Promise<void> {
  try {
    await wait();
  } catch (error) {
    const seen = await Promise.all(
      pages.map((page) =>
        page.evaluate(() => {
          const { harness } = window as unknown as PeerPageWindow;
          const link = harness.peer?.peers.links[0];
          return {
            peer: harness.peer?.peerId,
            polite: link?.isPolite,
            links: harness.peer?.peers.links.length,
            link: link?.state,
            localUfrag: /a=ice-ufrag:(\S+)/.exec(link?.pc.localDescription?.sdp ?? '')?.[1],
            remoteUfrag: /a=ice-ufrag:(\S+)/.exec(link?.pc.remoteDescription?.sdp ?? '')?.[1],
            video: harness.videoState('remote'),
            record: harness.record,
          };
        }),
      ),
    );
    throw new Error(
      `round ${round}: ${(error as Error).message}\nthe pages saw: ${JSON.stringify(seen, null, 1)}`,
      {
        cause: error,
      },
    );
  }
}

/** What a page knows about its link after the round, for the assertions and for a failure's message. */
function linkReport(page: Page) {
  return page.evaluate(async () => {
    const { harness } = window as unknown as PeerPageWindow;
    await harness.within(harness.stash['sent'] as Promise<void>, 20_000, 'the chat message to be sent');
    const links = harness.peer!.peers.links;
    return {
      links: links.length,
      state: links[0]?.state,
      messages: harness.record.messages.map((m) => [m.from, m.channel, m.message]),
      errors: harness.record.errors,
      offersReceived: harness.record.signals.filter((s) => s.startsWith('sdp:offer')).length,
      streams: harness.record.streams.length,
    };
  });
}

describe.skipIf(skip)(
  `SDK media glare in Chromium${skip ? ' (SKIPPED: Chromium is not installed)' : ''}`,
  () => {
    it(`both sides add audio+video and a channel at the same instant, ${ROUNDS} times: one working link each time`, async () => {
      let glareRounds = 0;
      for (let round = 1; round <= ROUNDS; round += 1) {
        const [ada, adaId] = await lab.pagePeer(0, `glare-${round}`, 'ada');
        const [bob, bobId] = await lab.pagePeer(1, `glare-${round}`, 'bob');
        try {
          await Promise.all([getMedia(ada), getMedia(bob)]);
          const at = Date.now() + 200;
          await Promise.all([armConnect(ada, bobId, at), armConnect(bob, adaId, at)]);
          await explained(round, [ada, bob], async () => {
            const [adaTime, bobTime] = await Promise.all([
              waitForPlayback(ada, 0, 0.5),
              waitForPlayback(bob, 0, 0.5),
            ]);
            // currentTime keeps advancing: the video really plays, it did not freeze on a first frame.
            await Promise.all([waitForPlayback(ada, adaTime, 0.5), waitForPlayback(bob, bobTime, 0.5)]);
          });
          for (const page of [ada, bob]) {
            await page.waitForFunction(
              () => (window as unknown as PeerPageWindow).harness.record.messages.length >= 1,
              undefined,
              { timeout: 20_000 },
            );
          }
          const [adaSaw, bobSaw] = await Promise.all([linkReport(ada), linkReport(bob)]);
          const context = `round ${round}: ada ${JSON.stringify(adaSaw)} bob ${JSON.stringify(bobSaw)}`;
          expect(adaSaw.links, context).toBe(1);
          expect(bobSaw.links, context).toBe(1);
          expect(adaSaw.messages, context).toEqual([
            [bobId, 'chat', { kind: 'text', text: `hello from ${bobId}` }],
          ]);
          expect(bobSaw.messages, context).toEqual([
            [adaId, 'chat', { kind: 'text', text: `hello from ${adaId}` }],
          ]);
          expect([adaSaw.streams, bobSaw.streams], context).toEqual([1, 1]);
          expect([...adaSaw.errors, ...bobSaw.errors], context).toEqual([]);
          for (const seen of [adaSaw, bobSaw]) {
            expect(seen.state?.connectionState, context).toBe('connected');
            expect(seen.state?.signalingState, context).toBe('stable');
          }
          if (adaSaw.offersReceived > 0 && bobSaw.offersReceived > 0) glareRounds += 1;
        } finally {
          await closePages(ada, bob);
        }
      }
      // The test proves nothing unless the offers really crossed: both sides received an offer.
      expect(glareRounds).toBeGreaterThan(0);
      console.info(`media glare: offers crossed in ${glareRounds}/${ROUNDS} rounds`);
    }, 300_000);
  },
);
