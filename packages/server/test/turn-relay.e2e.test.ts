/**
 * Relay-only WebRTC through a real coturn on loopback, with TURN credentials that OUR broker issued in
 * its welcome (createIceServerProvider with coturn's static-auth-secret). Peers are plain
 * RTCPeerConnection code (`runIcePeer`) signaling through our broker: two Chromium processes, and a
 * wrtc ↔ Chromium pair. Runs in a loopback-only netns (`unshare -n`), so coturn needs
 * `--allow-loopback-peers` (lab.md §4). The proof of relaying is the LOCAL candidate type in getStats:
 * with everything on 127.0.0.1, a remote may show as prflx (lab.md §4 caveat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import { createIceServerProvider } from '@switchboard/server';
import {
  WrtcPeerConnection,
  hasChromium,
  hasCoturn,
  launchChromium,
  runIcePeer,
  startCoturn,
  startServer,
  type CoturnHandle,
  type IcePeerEnv,
  type IcePeerOptions,
  type IcePeerReport,
  type StartedServer,
} from '@switchboard/testing';

const SECRET = 'relay-e2e-secret';
const HOLD_MS = 1500;
const skipReason = !hasChromium()
  ? 'Chromium is not installed'
  : !hasCoturn()
    ? 'coturn is not installed'
    : undefined;

describe.skipIf(skipReason !== undefined)(
  `relay-only WebRTC through coturn${skipReason === undefined ? '' : ` (SKIPPED: ${skipReason})`}`,
  () => {
    let turn: CoturnHandle;
    let broker: StartedServer;
    let expiredBroker: StartedServer;
    const browsers: Browser[] = [];
    let room = 0;

    beforeAll(async () => {
      turn = await startCoturn({ secrets: [SECRET], allowLoopbackPeers: true });
      broker = await startServer({
        iceServers: createIceServerProvider({ turnUrls: [turn.udpUrl, turn.tcpUrl], turnSecrets: [SECRET] }),
      });
      // A broker whose clock is two hours behind: every credential it issues has already expired.
      expiredBroker = await startServer({
        iceServers: createIceServerProvider({
          turnUrls: [turn.udpUrl],
          turnSecrets: [SECRET],
          turnTtlS: 300,
          now: () => Date.now() - 2 * 3600_000,
        }),
      });
    });

    afterAll(async () => {
      await Promise.all(browsers.map((browser) => browser.close()));
      await broker.close();
      await expiredBroker.close();
      await turn.close();
    });

    function options(role: IcePeerOptions['role'], overrides: Partial<IcePeerOptions> = {}): IcePeerOptions {
      return {
        brokerUrl: broker.url,
        room: `relay-${room}`,
        nickname: role,
        role,
        ice: 'relay',
        holdMs: HOLD_MS,
        timeoutMs: 20_000,
        protocolVersion: PROTOCOL_VERSION,
        ...overrides,
      };
    }

    async function inChromium(peerOptions: IcePeerOptions): Promise<IcePeerReport> {
      const browser = await launchChromium();
      browsers.push(browser);
      const page = await browser.newPage();
      // Vitest's transform may wrap nested functions in esbuild's `__name`; give the page a no-op one.
      await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
      // Load a page from the broker's own origin: Chromium's local network access checks block a
      // loopback WebSocket from about:blank (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
      await page.goto(`${peerOptions.brokerUrl.replace(/^ws/, 'http').replace(/\/ws$/, '')}/`);
      return page.evaluate(runIcePeer, peerOptions);
    }

    const wrtcEnv = { RTCPeerConnection: WrtcPeerConnection, WebSocket } as unknown as IcePeerEnv;

    function expectRelayed(report: IcePeerReport): void {
      expect(report.outcome, JSON.stringify(report)).toBe('connected');
      expect(report.selected?.local.candidateType, JSON.stringify(report.selected)).toBe('relay');
      expect(report.localCandidateTypes).toEqual(['relay']);
      expect(report.echoes).toBeGreaterThanOrEqual(Math.max(1, report.pingsSent - 1));
      expect(report.iceServersExpireAt).toBeGreaterThan(Date.now());
    }

    it('two Chromium peers with a relay-only policy connect with the broker-issued credentials', async () => {
      room++;
      const [a, b] = await Promise.all([inChromium(options('offer')), inChromium(options('answer'))]);
      expectRelayed(a);
      expectRelayed(b);
    });

    it('a wrtc peer and a Chromium peer connect relay-only the same way', async () => {
      room++;
      const [a, b] = await Promise.all([
        runIcePeer(options('offer'), wrtcEnv),
        inChromium(options('answer')),
      ]);
      expectRelayed(a);
      expectRelayed(b);
    });

    it('a wrong credential draws 401 from coturn and yields no relay candidate', async () => {
      room++;
      const report = await inChromium(
        options('offer', { corruptTurnCredential: true, gatherOnly: true, holdMs: 0, timeoutMs: 4000 }),
      );
      expect(report.outcome).not.toBe('connected');
      expect(report.localCandidateTypes).not.toContain('relay');
      expect(
        report.candidateErrors.map((e) => e.errorCode),
        JSON.stringify(report.candidateErrors),
      ).toContain(401);
    });

    it('an expired credential draws 401 from coturn and yields no relay candidate', async () => {
      room++;
      const report = await inChromium(
        options('offer', { brokerUrl: expiredBroker.url, gatherOnly: true, holdMs: 0, timeoutMs: 4000 }),
      );
      expect(report.outcome).not.toBe('connected');
      expect(report.localCandidateTypes).not.toContain('relay');
      expect(
        report.candidateErrors.map((e) => e.errorCode),
        JSON.stringify(report.candidateErrors),
      ).toContain(401);
    });
  },
);
