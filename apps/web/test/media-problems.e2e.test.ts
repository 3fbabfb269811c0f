/**
 * Camera and microphone trouble, each in a real browser set up to have it: permission refused, no devices
 * at all, and a microphone without a camera. Each gets a clear message in the mirror, and a person whose
 * camera and microphone are blocked can still call, chat and send files.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIceServerProvider } from '@switchboard/server';
import { hasChromium, hasCoturn, startCoturn, type CoturnHandle } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import {
  callAndAccept,
  joinRoom,
  screenshot,
  sendChat,
  sendFile,
  sha256,
  waitForPlayingVideo,
} from './web-harness.js';

/** The mirror's problem message (empty when there is none). */
async function mirrorMessage(page: Page): Promise<string> {
  const notice = page.locator('.mirror .notice');
  await notice.waitFor();
  return (await notice.textContent()) ?? '';
}

const TURN_SECRET = 'media-problems-secret';

describe.skipIf(!hasChromium() || !hasCoturn())('blocked camera and microphone', () => {
  // A page without media permission gathers no host candidates in the loopback-only test namespace
  // (lab.md §1.4); on a real network it would offer mDNS host candidates instead. Here it reaches the
  // other person through a real coturn, with the TURN credentials the broker hands out.
  let turn: CoturnHandle;
  beforeAll(async () => {
    turn = await startCoturn({ secrets: [TURN_SECRET], allowLoopbackPeers: true });
  });
  afterAll(async () => {
    await turn.close();
  });
  const web = useWebApp(() => ({
    iceServers: createIceServerProvider({ turnUrls: [turn.udpUrl], turnSecrets: [TURN_SECRET] }),
  }));

  it('explains blocked camera and microphone access; the person still calls, chats and sends a file', async () => {
    const dee = await web.open('/r/blocked', { devices: 'denied' });
    const eve = await web.open('/r/blocked');
    await joinRoom(dee.page, 'Dee', 'blocked');
    await joinRoom(eve.page, 'Eve', 'blocked');
    expect(await mirrorMessage(dee.page)).toBe(
      "Camera and microphone access was blocked. Allow it in the browser's site settings and reload. You can still chat and share files.",
    );
    expect(await dee.page.getByLabel('Camera', { exact: true }).isDisabled()).toBe(true);
    await screenshot(dee.page, 'camera-blocked');

    await callAndAccept(dee.page, eve.page, { caller: 'Dee', callee: 'Eve' });
    // Eve's camera still reaches Dee; Dee sends nothing, so her mute and camera buttons are disabled.
    await waitForPlayingVideo(dee.page, '[data-testid="remote-video"]');
    const controls = dee.page.getByRole('toolbar', { name: 'Call controls' });
    expect(await controls.getByRole('button', { name: 'Mute' }).isDisabled()).toBe(true);

    for (const page of [dee.page, eve.page]) await page.getByRole('tab', { name: 'Chat' }).click();
    await sendChat(dee.page, eve.page, 'no camera, still here');
    await sendChat(eve.page, dee.page, 'I can read you');

    const file = randomBytes(512 * 1024);
    for (const page of [dee.page, eve.page]) await page.getByRole('tab', { name: 'Files' }).click();
    const saved = await sendFile(dee.page, eve.page, {
      name: 'slides.pdf',
      mimeType: 'application/pdf',
      buffer: file,
    });
    expect(sha256(saved)).toBe(sha256(file));
    await dee.page.getByTestId('hang-up').click();
    await eve.page.getByTestId('call-status').filter({ hasText: 'Dee hung up.' }).waitFor();
  });
});

describe.skipIf(!hasChromium())('missing camera or microphone', () => {
  const web = useWebApp();

  it('says so when there is no camera or microphone at all', async () => {
    const fay = await web.open('/r/no-devices', { devices: 'none' });
    await joinRoom(fay.page, 'Fay', 'no-devices');
    expect(await mirrorMessage(fay.page)).toBe(
      'No camera or microphone was found. You can still chat and share files.',
    );
    for (const label of ['Camera', 'Microphone']) {
      expect(await fay.page.getByLabel(label, { exact: true }).isDisabled()).toBe(true);
    }
  });

  it('says calls will be audio only when only the camera is missing, and still meters the microphone', async () => {
    const gus = await web.open('/r/no-camera', { devices: 'no-camera' });
    await joinRoom(gus.page, 'Gus', 'no-camera');
    expect(await mirrorMessage(gus.page)).toBe('No camera was found: calls will be audio only.');
    expect(await gus.page.getByLabel('Microphone', { exact: true }).isDisabled()).toBe(false);
    await gus.page.waitForFunction(
      () => (document.querySelector<HTMLMeterElement>('meter.level-meter')?.value ?? 0) > 0,
      undefined,
      { polling: 50, timeout: 15_000 },
    );
  });
});
