/**
 * A group room of three real browsers: each takes a seat, the mesh connects, and every browser shows two
 * remote videos that play. A seventh joiner is refused by the server with a clear message (the six
 * seats are taken by SDK clients in Node joining as the app does, so the test needs no seven cameras).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SignalingClient } from '@switchboard/client';
import { hasChromium } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import { joinRoom, screenshot, waitForPlayingVideo, type Person } from './web-harness.js';

describe.skipIf(!hasChromium())('group room', () => {
  const web = useWebApp();
  const people: Person[] = [];

  it('connects three people in a mesh; each sees two remote videos playing', async () => {
    for (const name of ['Ada', 'Bob', 'Cy']) {
      const person = await web.open('/r/standup?call=group');
      people.push(person);
      expect(await person.page.getByLabel(/group video call/).isChecked()).toBe(true);
      await joinRoom(person.page, name, 'standup', true);
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
  });

  const seated: SignalingClient[] = [];
  afterAll(async () => {
    await Promise.all(seated.map((client) => client.close()));
  });

  it('tells a seventh joiner that the group call is full', async () => {
    for (let seat = 1; seat <= 6; seat += 1) {
      const client = new SignalingClient({ url: web.app.server.url, WebSocket });
      seated.push(client);
      await client.connect();
      await client.join(
        'full-house',
        { nickname: `Seat ${seat}`, status: 'busy', extra: { group: true } },
        { maxPeers: 6 },
      );
    }
    // The server refuses the join itself: the members never see the seventh person come and go.
    const zedJoins: string[] = [];
    seated[0]?.on('peer-joined', (_room, peer) => {
      if (peer.metadata.nickname === 'Zed') zedJoins.push(peer.peerId);
    });
    const late = await web.open('/r/full-house?call=group');
    await late.page.getByLabel('Your nickname').fill('Zed');
    await late.page.getByRole('button', { name: 'Join' }).click();
    const room = late.page.getByLabel('Room', { exact: true });
    await expect.poll(() => room.getAttribute('aria-invalid')).toBe('true');
    const described = await room.getAttribute('aria-describedby');
    expect(await late.page.locator(`#${described ?? ''}`).textContent()).toBe(
      'The group call in “full-house” is full (6 people at most). Try another room.',
    );
    await screenshot(late.page, 'group-full');
    expect(zedJoins).toEqual([]);

    // A seat that frees up can be taken.
    await seated.pop()?.close();
    await late.page.getByRole('button', { name: 'Join' }).click();
    await late.page.getByTestId('self-name').filter({ hasText: 'Zed' }).waitFor();
    await expect.poll(() => zedJoins.length).toBe(1);
  });
});
