/**
 * Runs the SDP codec (sdp-codec.ts) a few times while the page is idle, once per JavaScript realm, so that
 * the first calls of a page do not pay for it cold.
 *
 * Why: the codec is plain JavaScript on the critical path of a call (the caller packs the offer, the callee
 * unpacks it and packs the answer, the caller unpacks that). In a fresh page V8 first interprets it: in
 * Chromium the first pack of a data-channel offer took 2–4 ms and packs 3–22 0.3–0.4 ms, against 0.1–0.2
 * ms for the first and 0.2 ms for the rest after this warm-up (BENCHMARKS.md, "Thirteenth pass"). Running
 * it on a sample while nothing else is going on moves that cost off the first call. Each round is one
 * task, so a round never holds the main thread for more than one pack and one unpack of each sample
 * (12–41 ms for all ten rounds in a fresh page).
 */
import type { CandidateTuple } from './candidate-tuple.js';
import { packCandidates, packSdp, unpackCandidates, unpackSdp } from './sdp-codec.js';

/** Runs `task` once, when the thread has nothing more urgent to do. */
export type IdleScheduler = (task: () => void) => void;

/**
 * Rounds of pack and unpack. In Chromium ten rounds brought a data-channel offer's pack to 0.2–0.3 ms for
 * the calls that follow; 30 and 100 rounds did no better.
 */
export const WARM_ROUNDS = 10;

/** A data-channel offer shaped like Chromium's, with made-up per-session values. */
const SAMPLE_OFFER = [
  'v=0',
  'o=- 4215775240449105457 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 50000 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 192.0.2.1',
  'a=candidate:1467250027 1 udp 2122260223 192.0.2.1 50000 typ host generation 0 network-id 1',
  'a=ice-ufrag:Wm7f',
  'a=ice-pwd:Ek1XkJ5aVkcFmMaBxTyYZ3Tq',
  'a=ice-options:trickle',
  `a=fingerprint:sha-256 ${Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase()).join(':')}`,
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');

const SAMPLE_CANDIDATES: CandidateTuple[] = [
  [
    'candidate:1467250027 1 udp 2122260223 192.0.2.1 50001 typ host generation 0 ufrag Wm7f network-id 1',
    '0',
    0,
    'Wm7f',
  ],
];

let warming: Promise<void> | undefined;

/**
 * Starts the warm-up unless this realm already did; resolves when its last round has run. Never rejects:
 * a round that throws ends the warm-up, and the codec reports the same fault where it is really used.
 */
export function warmSdpCodecWhenIdle(schedule: IdleScheduler = whenIdle): Promise<void> {
  warming ??= new Promise<void>((resolve) => {
    let left = WARM_ROUNDS;
    const round = (): void => {
      try {
        unpackSdp(packSdp(SAMPLE_OFFER));
        unpackCandidates(packCandidates(SAMPLE_CANDIDATES));
        left -= 1;
      } catch {
        left = 0;
      }
      if (left > 0) schedule(round);
      else resolve();
    };
    schedule(round);
  });
  return warming;
}

/** `requestIdleCallback` where there is one (browsers), else a timer that does not keep Node running. */
function whenIdle(task: () => void): void {
  const { requestIdleCallback } = globalThis as {
    requestIdleCallback?: (callback: () => void, options: { timeout: number }) => number;
  };
  // The timeout bounds how long a page that is never idle defers it; the warm-up is worth little then.
  if (requestIdleCallback !== undefined) requestIdleCallback(task, { timeout: 2000 });
  else (setTimeout(task, 0) as { unref?: () => void }).unref?.();
}
