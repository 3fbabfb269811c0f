/**
 * Media steps shared by the Chromium suites that call with a camera: the page's fake camera and microphone,
 * and waiting for the remote video to really play.
 */
import type { Page } from 'playwright-core';
import type { PeerPageWindow } from '@switchboard/testing';

/** Gets the page's fake camera and microphone into `harness.stash.local`. */
export function getMedia(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const { harness } = window as unknown as PeerPageWindow;
    harness.stash['local'] = await navigator.mediaDevices.getUserMedia({
      audio: true,
      video: { width: 320, height: 240 },
    });
  });
}

/** Waits until the remote video has decoded frames and played `seconds` past `from`; its `currentTime`. */
export async function waitForPlayback(page: Page, from: number, seconds: number): Promise<number> {
  const handle = await page.waitForFunction(
    ({ since, ahead }) => {
      const state = (window as unknown as PeerPageWindow).harness.videoState('remote');
      return state !== undefined && state.videoWidth > 0 && !state.paused && state.currentTime > since + ahead
        ? state.currentTime
        : false;
    },
    { since: from, ahead: seconds },
    { timeout: 20_000 },
  );
  return (await handle.jsonValue()) as number;
}
