/**
 * Launch the Debian Chromium for end-to-end tests, with the flags verified in shared/reference/lab.md §1.4:
 * they make WebRTC gather 127.0.0.1 candidates even in a loopback-only network namespace (needs
 * `--allow-loopback-in-peer-connection` plus media permission, which the fake UI grants), and give a fake
 * camera and microphone. Never pass `permissions: []` to a context: it revokes that permission (trap 1).
 */
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Flags for every test browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/** Where the Debian package puts Chromium; `CHROMIUM_PATH` overrides it. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/** Whether Chromium is installed (suites skip with a reason when it is not, and never report passed). */
export function hasChromium(): boolean {
  return existsSync(chromiumPath());
}

/** Launch one headless Chromium process. Each peer in a test gets its own process. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}
