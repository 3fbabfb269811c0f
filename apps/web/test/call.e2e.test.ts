/**
 * The 1:1 video call in real browsers with fake camera and microphone: the mirror's level meter, ringing
 * and accept, remote video playing on both sides, a screen share and back, chat both ways with delivery
 * ticks, a 20 MiB file (plus a second one at the same time) verified by hash, the photo booth's PNG, the
 * details panel, busy, hangup, decline and no answer.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import {
  contact,
  joinRoom,
  screenshot,
  sendChat,
  sha256,
  waitForPlayingVideo,
  type Person,
} from './web-harness.js';

const status = (page: Page) => page.getByTestId('call-status');

async function callStatusIs(page: Page, text: string): Promise<void> {
  await status(page).filter({ hasText: text }).waitFor({ timeout: 45_000 });
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

/** Wait until the remote video's frames have `width / height` close to `ratio`. */
async function waitForRemoteAspect(page: Page, ratio: number): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-video"]');
      return (
        video !== null &&
        video.videoHeight > 0 &&
        Math.abs(video.videoWidth / video.videoHeight - wanted) < 0.05
      );
    },
    ratio,
    { polling: 250, timeout: 30_000 },
  );
}

/** Chromium's fake camera is 4:3 (640 x 480 asked); its fake screen capture is 16:9 (1280 x 720). */
const CAMERA_ASPECT = 4 / 3;
const SCREEN_ASPECT = 16 / 9;

describe.skipIf(!hasChromium())('1:1 call', () => {
  const web = useWebApp();
  let ada: Person;
  let bob: Person;
  let cy: Person;

  beforeAll(async () => {
    ada = await web.open('/r/calls');
    bob = await web.open('/r/calls');
    cy = await web.open('/r/calls');
    await joinRoom(ada.page, 'Ada', 'calls');
    await joinRoom(bob.page, 'Bob', 'calls');
    await joinRoom(cy.page, 'Cy', 'calls');
    await contact(ada.page, 'Bob').waitFor();
    await contact(cy.page, 'Bob').waitFor();
  });

  it("shows the microphone level in the mirror: the fake microphone's tone lifts it above zero", async () => {
    const meter = ada.page.getByLabel('Microphone level');
    expect(await meter.evaluate((element) => element.tagName)).toBe('METER');
    await ada.page.waitForFunction(
      () => (document.querySelector<HTMLMeterElement>('meter.level-meter')?.value ?? 0) > 0,
      undefined,
      { polling: 50, timeout: 15_000 },
    );
    expect(await meter.evaluate((element: HTMLMeterElement) => element.value)).toBeLessThanOrEqual(1);
  });

  it('rings the callee, connects on accept and plays the remote video on both sides', async () => {
    await contact(ada.page, 'Bob').getByRole('button', { name: 'Call Bob' }).click();
    const dialog = bob.page.getByRole('alertdialog', { name: 'Ada is calling' });
    await dialog.waitFor();
    await callStatusIs(ada.page, 'Ringing Bob');
    await screenshot(bob.page, 'incoming-call');
    await dialog.getByRole('button', { name: 'Accept' }).click();

    await waitForPlayingVideo(ada.page, '[data-testid="remote-video"]');
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');
    // Presence: both are "In a call" for the third person.
    await expect
      .poll(() => contact(cy.page, 'Bob').locator('.presence-text').textContent())
      .toBe('In a call');
    await expect
      .poll(() => contact(cy.page, 'Ada').locator('.presence-text').textContent())
      .toBe('In a call');
    // The timer runs once media connected.
    await ada.page.waitForFunction(
      () => document.querySelector('[data-testid="call-timer"]')?.textContent !== '0:00',
    );
  });

  it('shows the ICE state and the candidate type in the details panel', async () => {
    await openTab(ada.page, 'Details');
    await expect
      .poll(() => ada.page.locator('[data-detail="ice"]').textContent())
      .toMatch(/connected|completed/);
    await expect
      .poll(() => ada.page.locator('[data-detail="local"]').getAttribute('data-candidate-type'))
      .toBe('host');
    expect(await ada.page.locator('[data-detail="connection"]').textContent()).toBe('connected');
  });

  it('shares the screen: the callee sees it play, and the call goes on after switching back', async () => {
    await waitForRemoteAspect(bob.page, CAMERA_ASPECT);
    const share = ada.page.getByTestId('call').getByRole('button', { name: 'Share screen' });
    await share.click();
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('true');
    await waitForRemoteAspect(bob.page, SCREEN_ASPECT);
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');

    await share.click();
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('false');
    await waitForRemoteAspect(bob.page, CAMERA_ASPECT);
    await waitForPlayingVideo(bob.page, '[data-testid="remote-video"]');
    await waitForPlayingVideo(ada.page, '[data-testid="remote-video"]');
  });

  it('carries chat both ways with delivery ticks', async () => {
    await openTab(ada.page, 'Chat');
    await openTab(bob.page, 'Chat');
    await sendChat(ada.page, bob.page, 'Hello Bob');
    await ada.page.locator('.chat-message.from-self .ticks[data-delivery="delivered"]').waitFor();

    await bob.page.getByLabel('Message', { exact: true }).fill('Hi Ada!');
    await bob.page.getByRole('button', { name: 'Send message' }).click();
    await ada.page.locator('.chat-message.from-peer', { hasText: 'Hi Ada!' }).waitFor();
    await bob.page.locator('.chat-message.from-self .ticks[data-delivery="delivered"]').waitFor();
    await screenshot(ada.page, 'call');
  });

  it('sends two files at once; the 20 MiB one arrives with the same name and SHA-256', async () => {
    const big = randomBytes(20 * 1024 * 1024);
    const small = randomBytes(3000);
    await openTab(ada.page, 'Files');
    await openTab(bob.page, 'Files');
    await ada.page.locator('.files input[type="file"]').setInputFiles([
      { name: 'random-20MiB.bin', mimeType: 'application/octet-stream', buffer: big },
      { name: 'notes.txt', mimeType: 'text/plain', buffer: small },
    ]);
    for (const page of [ada.page, bob.page]) {
      for (const name of ['random-20MiB.bin', 'notes.txt']) {
        const row = page.locator(`li.transfer[data-file-name="${name}"]`);
        await row.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
        expect(await row.getAttribute('data-percent')).toBe('100');
        expect(await row.locator('progress').evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(
          true,
        );
      }
    }
    await screenshot(bob.page, 'files');
    const downloaded = bob.page.waitForEvent('download');
    await bob.page.getByRole('link', { name: 'Save random-20MiB.bin' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('random-20MiB.bin');
    const bytes = await readFile(await download.path());
    expect(bytes.length).toBe(big.length);
    expect(sha256(bytes)).toBe(sha256(big));
  });

  it('photographs the remote video and downloads a PNG that decodes', async () => {
    await openTab(ada.page, 'Photo booth');
    const call = ada.page.getByTestId('call');
    await call.getByLabel('Photograph').selectOption({ label: "Bob's video" });
    await call.getByRole('button', { name: 'Take photo' }).click();
    await call.getByRole('radio', { name: 'Sepia' }).click();
    await screenshot(ada.page, 'photo-booth');
    const downloaded = ada.page.waitForEvent('download');
    await call.getByRole('button', { name: 'Download PNG' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toMatch(/^switchboard-sepia-.*\.png$/);
    const bytes = await readFile(await download.path());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const size = await ada.page.evaluate(async (base64) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      return { width: bitmap.width, height: bitmap.height };
    }, bytes.toString('base64'));
    expect(size.width).toBeGreaterThan(0);
    expect(size.height).toBeGreaterThan(0);
  });

  it('tells a third caller that the callee is busy', async () => {
    await contact(cy.page, 'Bob').getByRole('button', { name: 'Call Bob' }).click();
    await callStatusIs(cy.page, 'Bob is busy in another call.');
    await cy.page.getByRole('button', { name: 'Back to the room' }).click();
    expect(await bob.page.getByRole('alertdialog').count()).toBe(0);
  });

  it('ends the call on both sides when one hangs up', async () => {
    await ada.page.getByTestId('hang-up').click();
    await callStatusIs(ada.page, 'Call ended.');
    await callStatusIs(bob.page, 'Ada hung up.');
    await expect
      .poll(() => contact(cy.page, 'Bob').locator('.presence-text').textContent())
      .toBe('Available');
  });

  it('shows the caller a decline', async () => {
    await ada.page.getByRole('button', { name: 'Back to the room' }).click();
    await contact(ada.page, 'Bob').getByRole('button', { name: 'Call Bob' }).click();
    const dialog = bob.page.getByRole('alertdialog', { name: 'Ada is calling' });
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await callStatusIs(ada.page, 'Bob declined the call.');
    await screenshot(ada.page, 'call-declined');
  });

  it('shows the caller that nobody answered, and the callee a missed call', async () => {
    await ada.page.getByRole('button', { name: 'Back to the room' }).click();
    await contact(ada.page, 'Cy').getByRole('button', { name: 'Call Cy' }).click();
    await cy.page.getByRole('alertdialog', { name: 'Ada is calling' }).waitFor();
    await callStatusIs(ada.page, 'Cy did not answer.');
    await expect.poll(() => cy.page.getByRole('alertdialog').count()).toBe(0);
  });
});
