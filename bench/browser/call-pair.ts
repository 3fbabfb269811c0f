/**
 * Two Chromium processes, one page each, connected to one broker and ready to call: the unit every browser
 * workload runs on. The callee registers first so the caller's offer always finds it (PeerJS drops frames
 * to an id that is not yet registered only after a 5 s queue; the bare relay would drop them at once).
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '@switchboard/testing';
import type { BrowserContender } from './browser-contenders.js';

/** Both sides of a call. */
export interface CallPair {
  caller: Page;
  callee: Page;
  calleeAddress: string;
  close(): Promise<void>;
}

/** Open both pages against the broker on `brokerPort` (the server itself, or a counting proxy in front of it). */
export async function openCallPair(
  contender: BrowserContender,
  origin: string,
  brokerPort: number,
): Promise<CallPair> {
  const browsers: Browser[] = [await launchChromium(), await launchChromium()];
  try {
    const [caller, callee] = await Promise.all(browsers.map(async (b) => (await b.newContext()).newPage()));
    const path = `/${contender.page}.html`;
    await Promise.all([caller!.goto(`${origin}${path}`), callee!.goto(`${origin}${path}`)]);
    const open = (page: Page, name: string): Promise<string> =>
      page.evaluate(
        (args) => (window as unknown as { bench: { open(a: unknown): Promise<string> } }).bench.open(args),
        {
          protocol: contender.protocol,
          // The SDK page sets its ICE mode on both sides when it joins; the other pages get it per call.
          trickle: contender.trickle,
          url: `ws://127.0.0.1:${brokerPort}`,
          host: '127.0.0.1',
          port: brokerPort,
          name,
          room: 'call',
        },
      );
    const calleeAddress = await open(callee!, 'callee');
    await open(caller!, 'caller');
    return {
      caller: caller!,
      callee: callee!,
      calleeAddress,
      close: async () => {
        await Promise.all(browsers.map((b) => b.close()));
      },
    };
  } catch (error) {
    await Promise.all(browsers.map((b) => b.close()));
    throw error;
  }
}

type BenchApi = Record<string, (args?: unknown) => Promise<unknown>>;

/** Call `window.bench[method](args)` in `page`. */
export function benchCall<T>(page: Page, method: string, args?: unknown): Promise<T> {
  return page.evaluate(([m, a]) => (window as unknown as { bench: BenchApi }).bench[m]!(a), [
    method,
    args,
  ] as const) as Promise<T>;
}
