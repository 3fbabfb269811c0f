/**
 * Resilience you can see: the signaling socket is torn out mid-call (an abrupt TCP reset through a proxy,
 * with new connections refused for a while). The call goes on, the banner says what is happening and goes
 * away once the SDK has resumed; an ICE restart shows in the details panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import {
  buildWebApp,
  contact,
  expectNoConsoleErrors,
  joinRoom,
  openPerson,
  screenshot,
  startWebApp,
  waitForPlayingVideo,
  type Person,
  type WebApp,
} from './web-harness.js';

/** Chromium logs refused WebSocket handshakes itself; they are the fault this test injects. */
const INJECTED_FAULTS = [/WebSocket connection to .* failed/];

describe.skipIf(!hasChromium())('signaling reconnect during a call', () => {
  let app: WebApp;
  let ada: Person;
  let bob: Person;

  beforeAll(async () => {
    buildWebApp();
    app = await startWebApp({ viaProxy: true });
    ada = await openPerson(`${app.origin}/`);
    bob = await openPerson(`${app.origin}/`);
  });

  afterAll(async () => {
    await Promise.all([ada, bob].map((person) => person.close()));
    await app.close();
  });

  it('keeps the call going while the banner shows the reconnect, then hides it', async () => {
    await joinRoom(ada.page, 'Ada', 'resilience');
    await joinRoom(bob.page, 'Bob', 'resilience');
    await contact(ada.page, 'Bob').getByRole('button', { name: 'Call Bob' }).click();
    await bob.page
      .getByRole('alertdialog', { name: 'Ada is calling' })
      .getByRole('button', { name: 'Accept' })
      .click();
    await waitForPlayingVideo(ada.page, '[data-testid="remote-video"]');
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');

    const proxy = app.proxy!;
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
    await ada.page.getByRole('tab', { name: 'Chat' }).click();
    await ada.page.getByLabel('Message', { exact: true }).fill('still here');
    await ada.page.getByLabel('Message', { exact: true }).press('Enter');
    await bob.page.getByRole('tab', { name: 'Chat' }).click();
    await bob.page.locator('.chat-message.from-peer', { hasText: 'still here' }).waitFor();
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
    expectNoConsoleErrors(ada, INJECTED_FAULTS);
    expectNoConsoleErrors(bob, INJECTED_FAULTS);
  });
});
