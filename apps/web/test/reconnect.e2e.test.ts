/**
 * Resilience you can see: the signaling socket is torn out mid-call (an abrupt TCP reset through a proxy,
 * with new connections refused for a while). The call goes on, the banner says what is happening and goes
 * away once the SDK has resumed; an ICE restart shows in the details panel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import {
  callAndAccept,
  joinRoom,
  screenshot,
  sendChat,
  waitForPlayingVideo,
  type Person,
} from './web-harness.js';

/** Chromium logs refused WebSocket handshakes itself; they are the fault this test injects. */
const INJECTED_FAULTS = [/WebSocket connection to .* failed/];

describe.skipIf(!hasChromium())('signaling reconnect during a call', () => {
  const web = useWebApp({ viaProxy: true, allowedConsoleErrors: INJECTED_FAULTS });
  let ada: Person;
  let bob: Person;

  beforeAll(async () => {
    ada = await web.open('/');
    bob = await web.open('/');
  });

  it('keeps the call going while the banner shows the reconnect, then hides it', async () => {
    await joinRoom(ada.page, 'Ada', 'resilience');
    await joinRoom(bob.page, 'Bob', 'resilience');
    await callAndAccept(ada.page, bob.page, { caller: 'Ada', callee: 'Bob' });
    await waitForPlayingVideo(ada.page, '[data-testid="remote-video"]');
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');

    const proxy = web.app.proxy!;
    proxy.block();
    expect(proxy.destroyAll()).toBeGreaterThanOrEqual(2);
    for (const person of [ada, bob]) {
      await person.page.getByTestId('connection-banner').filter({ hasText: 'Reconnecting' }).waitFor();
    }
    await screenshot(ada.page, 'reconnecting');
    // Media does not go through the server: it keeps playing during the outage.
    await waitForPlayingVideo(ada.page, '[data-testid="remote-video"]');
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');

    proxy.unblock();
    for (const person of [ada, bob]) {
      await person.page.getByTestId('connection-banner').waitFor({ state: 'hidden', timeout: 30_000 });
    }
    expect(await ada.page.getByTestId('hang-up').isEnabled()).toBe(true);
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');

    // The session resumed: the call can still be ended through the broker.
    for (const { page } of [ada, bob]) await page.getByRole('tab', { name: 'Chat' }).click();
    await sendChat(ada.page, bob.page, 'still here');
  });

  it('shows an ICE restart in the details panel and stays connected', async () => {
    await ada.page.getByRole('tab', { name: 'Details' }).click();
    await ada.page.getByRole('button', { name: 'Restart ICE' }).click();
    await ada.page.locator('.restart-log li', { hasText: 'Restart 1 started (requested)' }).waitFor();
    expect(await ada.page.locator('[data-detail="restarts"]').textContent()).toBe('1');
    await expect
      .poll(() => ada.page.locator('[data-detail="ice"]').textContent())
      .toMatch(/connected|completed/);
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');
    await screenshot(ada.page, 'call-details');

    await ada.page.getByTestId('hang-up').click();
    await bob.page.getByTestId('call-status').filter({ hasText: 'Ada hung up.' }).waitFor();
  });
});
