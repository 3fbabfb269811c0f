/**
 * An audio+video call between two Chromium processes through the SDK's CallController and the real
 * server, with Chromium's fake camera and microphone (shared/reference/lab.md §1.5). The remote video must
 * really play on both sides (frames decoded, `currentTime` advancing), keep playing after the caller swaps
 * its camera track with `replaceTrack` (no renegotiation), and each side must see exactly one `stream` event
 * for the remote camera stream, not one per track (peerjs #609).
 *
 * The replacement camera has a different aspect ratio (16:9 instead of 4:3), because the encoder may scale
 * a track down under CPU load but keeps its aspect ratio: the ratio proves which track is playing, where an
 * exact width could flake on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Call } from '@switchboard/client';
import {
  hasChromium,
  openPeerPage,
  startBrowserPeers,
  type BrowserPeers,
  type PeerPageWindow,
  type VideoState,
} from '@switchboard/testing';

const skip = !hasChromium();
let lab: BrowserPeers;

beforeAll(async () => {
  if (!skip) lab = await startBrowserPeers(2);
});

afterAll(async () => {
  if (!skip) await lab.close();
});

async function join(page: Page, nickname: string): Promise<string> {
  return page.evaluate(
    (name) => (window as unknown as PeerPageWindow).harness.join({ room: 'media', nickname: name }),
    nickname,
  );
}

function videoState(page: Page): Promise<VideoState | undefined> {
  return page.evaluate(() => (window as unknown as PeerPageWindow).harness.videoState('remote'));
}

/** Adds the page's video, link state and SDK record to a failed wait's message. */
async function explained<T>(page: Page, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const seen = await page.evaluate(() => {
      const { harness } = window as unknown as PeerPageWindow;
      const link = harness.peer?.peers.links[0];
      const local = /a=ice-ufrag:(\S+)/.exec(link?.pc.localDescription?.sdp ?? '')?.[1];
      return {
        peer: harness.peer?.peerId,
        polite: link?.isPolite,
        localUfrag: local,
        video: harness.videoState('remote'),
        link: link?.state,
        record: harness.record,
      };
    });
    throw new Error(`${(error as Error).message}\nthe page saw: ${JSON.stringify(seen)}`, { cause: error });
  }
}

/** Waits until the remote video has decoded frames and played `seconds` past `fromTime`. */
async function waitForPlayback(page: Page, fromTime: number, seconds: number): Promise<VideoState> {
  await explained(
    page,
    page.waitForFunction(
      ({ from, ahead }) => {
        const state = (window as unknown as PeerPageWindow).harness.videoState('remote');
        return (
          state !== undefined && state.videoWidth > 0 && !state.paused && state.currentTime > from + ahead
        );
      },
      { from: fromTime, ahead: seconds },
      { timeout: 30_000 },
    ),
  );
  return (await videoState(page))!;
}

/** Waits until the remote video shows frames of the given aspect ratio (within rounding) and plays on. */
async function waitForAspect(page: Page, ratio: number, fromTime: number): Promise<VideoState> {
  await explained(
    page,
    page.waitForFunction(
      ({ want, from }) => {
        const state = (window as unknown as PeerPageWindow).harness.videoState('remote');
        if (state === undefined || state.videoHeight === 0) return false;
        return Math.abs(state.videoWidth / state.videoHeight - want) < 0.05 && state.currentTime > from + 1;
      },
      { want: ratio, from: fromTime },
      { timeout: 30_000 },
    ),
  );
  return (await videoState(page))!;
}

describe.skipIf(skip)(`SDK media in Chromium${skip ? ' (SKIPPED: Chromium is not installed)' : ''}`, () => {
  it('a call plays remote video both ways, keeps playing after replaceTrack, one stream event per stream', async () => {
    const [ada, bob] = (await Promise.all(
      lab.browsers.map((browser) => openPeerPage(browser, lab.server)),
    )) as [Page, Page];
    await join(ada, 'ada');
    const bobId = await join(bob, 'bob');

    // Bob answers with his own fake camera and microphone.
    await bob.evaluate(async () => {
      const { harness } = window as unknown as PeerPageWindow;
      const local = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: 640, height: 480 },
      });
      harness.peer!.calls.once('incoming', (call: Call) => {
        call.on('stream', (stream) => harness.showStream(stream, 'remote'));
        call.accept(local);
      });
    });
    await ada.evaluate(async (to) => {
      const { harness } = window as unknown as PeerPageWindow;
      const local = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: 640, height: 480 },
      });
      const call = harness.peer!.calls.call(to, { video: true }, local);
      call.on('stream', (stream) => harness.showStream(stream, 'remote'));
      harness.stash['call'] = call;
      harness.stash['camera'] = local.getVideoTracks()[0];
      await harness.within(call.whenActive(), 20_000, 'bob to accept');
    }, bobId);

    const [adaSees, bobSees] = await Promise.all([waitForPlayback(ada, 0, 1), waitForPlayback(bob, 0, 1)]);
    for (const state of [adaSees, bobSees]) {
      expect(state.videoWidth / state.videoHeight).toBeCloseTo(4 / 3, 1);
    }

    // Ada switches camera: a new 16:9 track from getUserMedia, swapped in on the same sender.
    const swapped = await ada.evaluate(async () => {
      const { harness } = window as unknown as PeerPageWindow;
      const call = harness.stash['call'] as Call;
      const old = harness.stash['camera'] as MediaStreamTrack;
      const fresh = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
      const track = fresh.getVideoTracks()[0]!;
      const signalingBefore = call.link.pc.localDescription?.sdp;
      await call.link.replaceTrack(old, track);
      old.stop();
      const { width, height } = track.getSettings();
      return { width, height, renegotiated: call.link.pc.localDescription?.sdp !== signalingBefore };
    });
    expect(swapped).toEqual({ width: 640, height: 360, renegotiated: false });
    const afterSwap = await waitForAspect(bob, 16 / 9, bobSees.currentTime);
    expect(afterSwap.paused).toBe(false);
    // Playback goes on past the swap, and Ada still receives Bob's original camera.
    await waitForPlayback(bob, afterSwap.currentTime, 1);
    await waitForPlayback(ada, adaSees.currentTime, 1);

    for (const page of [ada, bob]) {
      const { streams, errors, remote } = await page.evaluate(() => {
        const { harness } = window as unknown as PeerPageWindow;
        const link = harness.peer!.peers.links[0]!;
        return {
          streams: harness.record.streams,
          errors: harness.record.errors,
          remote: link.remoteStreams.map((s) =>
            s
              .getTracks()
              .map((t) => t.kind)
              .sort(),
          ),
        };
      });
      expect(streams).toHaveLength(1);
      expect(remote).toEqual([['audio', 'video']]);
      expect(errors).toEqual([]);
    }
  });
});
