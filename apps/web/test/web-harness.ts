/**
 * Shared set-up of the web app's end-to-end suites: build the app (once, skipped when dist is newer than
 * every source file), serve it from a real Switchboard server on port 0, and open each person in their own
 * Chromium process with fake camera and microphone. Every page records console errors and uncaught
 * exceptions, and `expectNoConsoleErrors` fails the test on any of them.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  CHROMIUM_ARGS,
  chromiumPath,
  startServer,
  startTcpProxy,
  type StartedServer,
  type TcpProxy,
} from '@switchboard/testing';
import type { ServerOptions } from '@switchboard/server';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_ROOT = resolve(here, '..');
export const REPO_ROOT = resolve(WEB_ROOT, '../..');
export const DIST = join(WEB_ROOT, 'dist');
/**
 * Where `screenshot` writes. The README's pictures are tracked files, so an ordinary test run must not rewrite
 * them (each run re-encodes every PNG and leaves the checkout dirty): they go to the OS temp folder unless
 * `UPDATE_SCREENSHOTS=1` asks for the README's copies to be refreshed.
 */
export const SCREENSHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? join(REPO_ROOT, 'docs/screenshots')
    : join(tmpdir(), 'switchboard-screenshots');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Build the app unless dist is already newer than its sources (app, SDK, protocol). */
export function buildWebApp(): void {
  const built = join(DIST, 'index.html');
  const sources = [
    join(WEB_ROOT, 'src'),
    join(WEB_ROOT, 'index.html'),
    join(WEB_ROOT, 'vite.config.ts'),
    join(REPO_ROOT, 'packages/client/src'),
    join(REPO_ROOT, 'packages/protocol/src'),
  ];
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: WEB_ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
}

/** A running web app: server (optionally behind a TCP proxy the test can cut). */
export interface WebApp {
  readonly server: StartedServer;
  /** The origin pages load from (the proxy's when there is one). */
  readonly origin: string;
  readonly proxy: TcpProxy | undefined;
  close(): Promise<void>;
}

/** Serve the built app from a real server on port 0. */
export async function startWebApp(
  options: Partial<ServerOptions> & { readonly viaProxy?: boolean } = {},
): Promise<WebApp> {
  const { viaProxy, ...serverOptions } = options;
  const server = await startServer({ staticDir: DIST, ...serverOptions });
  const proxy = viaProxy === true ? await startTcpProxy({ host: '127.0.0.1', port: server.port }) : undefined;
  return {
    server,
    proxy,
    origin: proxy === undefined ? server.httpUrl : `http://127.0.0.1:${proxy.port}`,
    async close() {
      await proxy?.close();
      await server.close();
    },
  };
}

/** One person: a browser process and a page, with the console errors it logged. */
export interface Person {
  readonly browser: Browser;
  readonly page: Page;
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * The camera and microphone a person's browser has:
 * - `fake`: Chromium's fake camera (a moving pattern) and microphone (a beeping tone), permission granted;
 * - `denied`: the fake devices exist but permission is refused, as when a person clicks "Block";
 * - `none`: no devices at all (no fake devices, and this machine has none of its own);
 * - `no-camera`: the fake microphone but zero fake cameras (`device-count=0` of the fake video factory).
 */
export type Devices = 'fake' | 'denied' | 'none' | 'no-camera';

/** How to open a person's browser. */
export interface PersonOptions {
  /** @default a 1280 x 800 desktop window */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** @default 'fake' */
  readonly devices?: Devices;
}

const FAKE_UI = '--use-fake-ui-for-media-stream';
const FAKE_DEVICES = '--use-fake-device-for-media-stream';

/** The Chromium flags for `devices`: the shared test flags with the media ones swapped as needed. */
export function chromiumArgsFor(devices: Devices): string[] {
  const args = CHROMIUM_ARGS.filter((arg) => arg !== FAKE_UI && arg !== FAKE_DEVICES);
  switch (devices) {
    case 'fake':
      return [...args, FAKE_UI, FAKE_DEVICES];
    // Without the fake UI, Playwright answers the permission prompt itself, with "deny".
    case 'denied':
      return [...args, FAKE_DEVICES];
    case 'none':
      return [...args, FAKE_UI];
    case 'no-camera':
      return [...args, FAKE_UI, `${FAKE_DEVICES}=device-count=0`];
  }
}

/** Launch a browser for one person and open `url`. */
export async function openPerson(url: string, options: PersonOptions = {}): Promise<Person> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgsFor(options.devices ?? 'fake'),
  });
  // No `permissions` option: an empty list would revoke the fake-UI media grant (lab.md §1.4, trap 1).
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  await page.goto(url);
  return { browser, page, errors, close: () => browser.close() };
}

/** Fill the join form and wait for the room. */
export async function joinRoom(page: Page, nickname: string, room = 'lobby', group = false): Promise<void> {
  await page.getByLabel('Your nickname').fill(nickname);
  await page.getByLabel('Room', { exact: true }).fill(room);
  const groupBox = page.getByLabel(/group video call/);
  if ((await groupBox.isChecked()) !== group) await groupBox.setChecked(group);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('self-name').filter({ hasText: nickname }).waitFor();
}

/** The contact row of `nickname`. */
export function contact(page: Page, nickname: string) {
  return page.locator(`li.contact[data-nickname="${nickname}"]`);
}

/** Wait until `video` (a locator's first match) plays: frames arrive and time advances. */
export async function waitForPlayingVideo(page: Page, selector: string, index = 0): Promise<void> {
  await page.waitForFunction(
    ({ selector: s, index: i }) => {
      const video = document.querySelectorAll<HTMLVideoElement>(s)[i];
      if (video === undefined || video.videoWidth === 0) return false;
      const seen = Number(video.dataset['seenTime'] ?? '-1');
      video.dataset['seenTime'] = String(video.currentTime);
      return seen >= 0 && video.currentTime > seen;
    },
    { selector, index },
    { polling: 250, timeout: 60_000 },
  );
}

/** Fail when a page logged errors since the last check (the ones matching `allowed` excepted). */
export function expectNoConsoleErrors(person: Person, allowed: readonly RegExp[] = []): void {
  const logged = person.errors.splice(0);
  expect(logged.filter((text) => !allowed.some((pattern) => pattern.test(text)))).toEqual([]);
}

/** Save a screenshot of `page` as `<SCREENSHOTS>/<name>.png` (docs/screenshots with `UPDATE_SCREENSHOTS=1`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** `caller` calls `calleeName` from the contact list and the callee accepts in the "is calling" dialog. */
export async function callAndAccept(
  caller: Page,
  callee: Page,
  names: { readonly caller: string; readonly callee: string },
): Promise<void> {
  await contact(caller, names.callee)
    .getByRole('button', { name: `Call ${names.callee}` })
    .click();
  await callee
    .getByRole('alertdialog', { name: `${names.caller} is calling` })
    .getByRole('button', { name: 'Accept' })
    .click();
}

/** Send `text` in the open chat of `from` and wait until `to` shows it. */
export async function sendChat(from: Page, to: Page, text: string): Promise<void> {
  await from.getByLabel('Message', { exact: true }).fill(text);
  await from.getByLabel('Message', { exact: true }).press('Enter');
  await to.locator('.chat-message.from-peer', { hasText: text }).waitFor();
}

/** The SHA-256 of `bytes`, in hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Drop a file into the open Files panel of `sender`, save it on `receiver` and return the saved bytes. */
export async function sendFile(
  sender: Page,
  receiver: Page,
  file: { readonly name: string; readonly mimeType: string; readonly buffer: Buffer },
): Promise<Buffer> {
  await sender.locator('.files input[type="file"]').setInputFiles([file]);
  const downloaded = receiver.waitForEvent('download');
  await receiver.getByRole('link', { name: `Save ${file.name}` }).click();
  return readFile(await (await downloaded).path());
}
