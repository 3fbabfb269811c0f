/**
 * Lobby and presence across three real browsers: nicknames, live presence, a refused nickname, invite
 * links, and the nickname remembered for next time.
 */
import { describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import { contact, joinRoom, screenshot } from './web-harness.js';

describe.skipIf(!hasChromium())('lobby and presence', () => {
  const web = useWebApp();

  it('shows each nickname to the others and updates presence live', async () => {
    const ada = await web.open('/');
    await screenshot(ada.page, 'join');
    await joinRoom(ada.page, 'Ada');
    const bob = await web.open('/');
    const cy = await web.open('/');
    await joinRoom(bob.page, 'Bob');
    await joinRoom(cy.page, 'Cy');

    for (const [person, others] of [
      [ada, ['Bob', 'Cy']],
      [bob, ['Ada', 'Cy']],
      [cy, ['Ada', 'Bob']],
    ] as const) {
      for (const name of others) {
        await expect
          .poll(() => contact(person.page, name).locator('.presence-text').textContent())
          .toBe('Available');
      }
      expect(await person.page.locator('li.contact').count()).toBe(2);
    }

    await bob.page.getByLabel('Your status').selectOption('away');
    await expect.poll(() => contact(ada.page, 'Bob').locator('.presence-text').textContent()).toBe('Away');
    await expect.poll(() => contact(cy.page, 'Bob').locator('.presence-text').textContent()).toBe('Away');
    await screenshot(ada.page, 'lobby');

    await cy.page.getByRole('button', { name: 'Leave' }).click();
    await expect.poll(() => contact(ada.page, 'Cy').count()).toBe(0);
    await expect.poll(() => contact(bob.page, 'Cy').count()).toBe(0);
  });

  it('refuses a nickname already taken in the room, case- and look-alike-insensitively', async () => {
    const dee = await web.open('/');
    await dee.page.getByLabel('Your nickname').fill('ADA');
    await dee.page.getByRole('button', { name: 'Join' }).click();
    const nickname = dee.page.getByLabel('Your nickname');
    await expect.poll(() => nickname.getAttribute('aria-invalid')).toBe('true');
    const described = await nickname.getAttribute('aria-describedby');
    expect(await dee.page.locator(`#${described ?? ''}`).textContent()).toContain('already taken');
    await expect
      .poll(() => dee.page.evaluate(() => document.activeElement?.getAttribute('name')))
      .toBe('nickname');
    await screenshot(dee.page, 'nickname-taken');

    await nickname.fill('');
    await nickname.pressSequentially('!bad');
    await expect.poll(() => nickname.getAttribute('aria-invalid')).toBe('true');

    await joinRoom(dee.page, 'Dee');
  });

  it('drops an invite link recipient straight into the room with the remembered nickname', async () => {
    const eve = await web.open('/');
    await joinRoom(eve.page, 'Eve', 'design-review');
    const link = await eve.page.getByLabel('Invite link').inputValue();
    expect(link).toBe(`${web.app.origin}/r/design-review`);

    // The same browser (same storage) coming back through the link skips the form.
    await eve.page.goto(link);
    await eve.page.getByTestId('room-name').filter({ hasText: 'design-review' }).waitFor();
    expect(await eve.page.getByTestId('self-name').textContent()).toBe('Eve');

    // A new person opening the link (on a phone) gets the form with the room filled in.
    const fay = await web.open('/r/design-review', { viewport: { width: 390, height: 844 } });
    expect(await fay.page.getByLabel('Room', { exact: true }).inputValue()).toBe('design-review');
    await fay.page.getByLabel('Your nickname').fill('Fay');
    await fay.page.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => contact(fay.page, 'Eve').count()).toBe(1);
    await expect.poll(() => contact(eve.page, 'Fay').count()).toBe(1);
    // Phone width: nothing scrolls sideways.
    expect(await fay.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
      true,
    );
    await screenshot(fay.page, 'lobby-phone');
  });
});
