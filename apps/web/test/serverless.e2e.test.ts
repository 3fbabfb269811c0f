/**
 * Serverless mode: two browsers connect by copy and paste of an offer and an answer, then chat and send a
 * file. The server's metrics prove it relayed no signal, and no WebSocket was ever opened.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '@switchboard/testing';
import { useWebApp } from './web-app-fixture.js';
import { screenshot, sendChat, sendFile, sha256, type WebApp } from './web-harness.js';

async function signalsRelayed(app: WebApp): Promise<number> {
  const text = await (await fetch(`${app.server.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith('switchboard_signals_relayed_total'));
  return Number(line?.split(' ').at(-1) ?? 'NaN');
}

describe.skipIf(!hasChromium())('serverless mode', () => {
  const web = useWebApp();

  it('connects by copy and paste, chats and sends a file without the broker', async () => {
    const offerer = await web.open('/?mode=serverless');
    const answerer = await web.open('/?mode=serverless');
    const people = [offerer, answerer];
    for (const { page } of people) {
      await page.evaluate(() => {
        const original = window.WebSocket;
        (window as { webSocketsOpened?: number }).webSocketsOpened = 0;
        window.WebSocket = new Proxy(original, {
          construct(target, args: ConstructorParameters<typeof WebSocket>) {
            (window as { webSocketsOpened?: number }).webSocketsOpened! += 1;
            return new target(...args);
          },
        });
      });
    }

    await offerer.page.getByTestId('create-offer').click();
    const offerCode = offerer.page.getByTestId('offer-code');
    await offerCode.waitFor();
    const offer = await offerCode.inputValue();
    expect(offer.length).toBeGreaterThan(50);
    await offerer.page.locator('canvas.qr').waitFor();
    await screenshot(offerer.page, 'serverless');

    await answerer.page.getByTestId('have-offer').click();
    await answerer.page.getByTestId('offer-input').fill('garbage');
    await answerer.page.getByTestId('create-answer').click();
    await expect
      .poll(() => answerer.page.getByTestId('offer-input').getAttribute('aria-invalid'))
      .toBe('true');
    await answerer.page.getByTestId('offer-input').fill(offer);
    await answerer.page.getByTestId('create-answer').click();
    const answer = await answerer.page.getByTestId('answer-code').inputValue();
    await offerer.page.getByTestId('answer-input').fill(answer);
    await offerer.page.getByTestId('connect').click();

    for (const { page } of people) {
      await page
        .getByTestId('serverless-status')
        .filter({ hasText: 'Connected directly' })
        .waitFor({ timeout: 30_000 });
    }
    await sendChat(offerer.page, answerer.page, 'no server here');
    await offerer.page.locator('.ticks[data-delivery="delivered"]').waitFor();
    await sendChat(answerer.page, offerer.page, 'nor here');
    await screenshot(answerer.page, 'serverless-connected');

    const file = randomBytes(256 * 1024);
    await answerer.page.getByRole('tab', { name: 'Files' }).click();
    await offerer.page.getByRole('tab', { name: 'Files' }).click();
    const saved = await sendFile(answerer.page, offerer.page, {
      name: 'photo.raw',
      mimeType: 'application/octet-stream',
      buffer: file,
    });
    expect(sha256(saved)).toBe(sha256(file));

    expect(await signalsRelayed(web.app)).toBe(0);
    for (const { page } of people) {
      expect(await page.evaluate(() => (window as { webSocketsOpened?: number }).webSocketsOpened)).toBe(0);
    }
  });
});
