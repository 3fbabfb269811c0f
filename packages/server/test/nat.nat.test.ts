/**
 * NAT traversal across real NAT, in network namespaces this suite builds and always tears down
 * (topology and traps: shared/reference/nat-lab.md, packages/testing/src/nat-lab.ts). The public segment
 * runs the product's broker with its embedded STUN server and TURN credential provider, and a real
 * coturn that denies private peer ranges (trap 2, nat-lab.md §5.2). Two wrtc peers, each its own
 * process behind its own router, signal through the broker and use only the ICE servers its welcome
 * gave them. Every success holds the path and requires the echoes; the failure case proves that both
 * sides gathered srflx candidates and exchanged them, so a broken signaling path cannot fake a "fail".
 *
 * Needs root, `ip netns`, iptables, conntrack and coturn; otherwise the suite is SKIPPED with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import {
  NAT_LAB_ADDRESSES,
  PRIVATE_PEER_RANGES,
  checkNetnsSupport,
  createNatLab,
  hasCoturn,
  natLabLeftovers,
  startCoturn,
  waitForExit,
  type CoturnHandle,
  type IcePeerOptions,
  type IcePeerReport,
  type NatLab,
} from '@switchboard/testing';

const support = checkNetnsSupport();
const skipReason = !support.ok
  ? support.reason
  : hasCoturn()
    ? undefined
    : 'coturn (turnserver) is not installed';
const SECRET = 'nat-lab-secret';
const BROKER_PORT = 8080;
const HOLD_MS = 3000;
const PING_INTERVAL_MS = 250;
/** libwebrtc needs 15-20 s to declare failure (nat-lab.md §5.3); not connected after 8 s is the expected failure. */
const SYMMETRIC_CUTOFF_MS = 8000;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const peerCli = fileURLToPath(new URL('../../testing/src/nat-lab-peer-cli.ts', import.meta.url));
const switchboardBin = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));
const tsNode = (script: string, arg: string): string[] => [
  '--conditions=source',
  '--import',
  'tsx',
  script,
  arg,
];

/** Wait for a line containing `marker` on a child's stdout. */
function waitForLine(child: ChildProcess, marker: string, timeoutMs: number): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${marker}" within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes(marker));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)} before "${marker}":\n${output}`));
    });
  });
}

describe.skipIf(skipReason !== undefined)(
  `NAT traversal across real NAT${skipReason === undefined ? '' : ` (SKIPPED: ${skipReason})`}`,
  () => {
    let lab: NatLab;
    let turn: CoturnHandle | undefined;
    let broker: ChildProcess | undefined;
    let caseNumber = 0;

    beforeAll(async () => {
      lab = await createNatLab();
      turn = await startCoturn({
        netns: lab.ns.pub,
        listeningIp: NAT_LAB_ADDRESSES.turn,
        port: 3478,
        relayPorts: { min: 49160, max: 49200 },
        secrets: [SECRET],
        realm: 'natlab.test',
        deniedPeerRanges: PRIVATE_PEER_RANGES,
      });
      // The product as an operator runs it: `switchboard serve` with its embedded STUN server and TURN
      // credentials for coturn (the secret through the environment, as the operator guide says).
      broker = lab.spawn(
        lab.ns.pub,
        process.execPath,
        [
          switchboardBin,
          'serve',
          '--host',
          NAT_LAB_ADDRESSES.broker,
          '--port',
          String(BROKER_PORT),
          '--stun-host',
          NAT_LAB_ADDRESSES.broker,
          '--turn-url',
          turn.udpUrl,
        ],
        { cwd: repoRoot, env: { ...process.env, SWITCHBOARD_TURN_SECRET: SECRET } },
      );
      await waitForLine(broker, 'switchboard listening', 30_000);
    });

    afterAll(async () => {
      if (broker !== undefined) {
        broker.kill('SIGTERM');
        if (!(await waitForExit(broker, 5000))) broker.kill('SIGKILL');
      }
      await turn?.close();
      lab.destroy();
      expect(natLabLeftovers()).toEqual([]);
    });

    /** Run the two peers (A behind ra, B behind rb) and return both reports. */
    async function runPair(
      ice: IcePeerOptions['ice'],
      timeoutMs: number,
      holdMs: number,
    ): Promise<[IcePeerReport, IcePeerReport]> {
      const room = `nat-case-${++caseNumber}`;
      const base = {
        brokerUrl: `ws://${NAT_LAB_ADDRESSES.broker}:${BROKER_PORT}/ws`,
        room,
        ice,
        holdMs,
        timeoutMs,
        protocolVersion: PROTOCOL_VERSION,
      };
      const start = (netns: string, options: IcePeerOptions): Promise<IcePeerReport> => {
        const child = lab.spawn(netns, process.execPath, tsNode(peerCli, JSON.stringify(options)), {
          cwd: repoRoot,
        });
        const report = waitForLine(child, '"outcome"', timeoutMs + holdMs + 20_000).then(
          (line) => JSON.parse(line) as IcePeerReport,
        );
        return report.finally(async () => {
          if (!(await waitForExit(child, 5000))) child.kill('SIGKILL');
        });
      };
      // Either may join first: the offerer starts from its roster or from the other's peer-joined.
      return Promise.all([
        start(lab.ns.pa, { ...base, nickname: 'a', role: 'offer' }),
        start(lab.ns.pb, { ...base, nickname: 'b', role: 'answer' }),
      ]);
    }

    function expectHeldPath(report: IcePeerReport): void {
      expect(report.outcome, JSON.stringify(report)).toBe('connected');
      expect(report.pingsSent).toBeGreaterThanOrEqual(Math.floor(HOLD_MS / PING_INTERVAL_MS) - 2);
      expect(report.echoes, JSON.stringify(report)).toBeGreaterThanOrEqual(report.pingsSent - 1);
    }

    it('cone NAT: the peers learn their public address from our STUN server and connect directly on srflx', async () => {
      await lab.setNat('ra', 'cone');
      await lab.setNat('rb', 'cone');
      const [a, b] = await runPair('stun', 20_000, HOLD_MS);
      expectHeldPath(a);
      expectHeldPath(b);
      // Our STUN server told each peer its router's WAN address (an independent client: libwebrtc).
      expect(
        a.localCandidates.some((c) => c.startsWith(`srflx ${NAT_LAB_ADDRESSES.routerA}:`)),
        JSON.stringify(a),
      ).toBe(true);
      expect(
        b.localCandidates.some((c) => c.startsWith(`srflx ${NAT_LAB_ADDRESSES.routerB}:`)),
        JSON.stringify(b),
      ).toBe(true);
      expect(a.iceUrls).toEqual([`stun:${NAT_LAB_ADDRESSES.broker}:3478`]);
      for (const report of [a, b]) {
        expect(report.selected?.local.candidateType, JSON.stringify(report.selected)).toBe('srflx');
        expect(report.selected?.remote.candidateType, JSON.stringify(report.selected)).toBe('srflx');
      }
      expect(a.selected?.local.address).toBe(NAT_LAB_ADDRESSES.routerA);
      expect(a.selected?.remote.address).toBe(NAT_LAB_ADDRESSES.routerB);
    });

    it('symmetric NAT with STUN only: both sides gather and exchange srflx candidates, and still cannot connect', async () => {
      await lab.setNat('ra', 'symmetric');
      await lab.setNat('rb', 'symmetric');
      const [a, b] = await runPair('stun', SYMMETRIC_CUTOFF_MS, 0);
      for (const report of [a, b]) {
        expect(['timeout', 'failed'], JSON.stringify(report)).toContain(report.outcome);
        expect(report.localCandidateTypes).toContain('srflx');
        expect(report.remoteCandidateTypes).toContain('srflx');
        expect(report.echoes).toBe(0);
      }
    });

    it('symmetric NAT with TURN: the peers connect through coturn with credentials the broker issued', async () => {
      await lab.setNat('ra', 'symmetric');
      await lab.setNat('rb', 'symmetric');
      const [a, b] = await runPair('all', 20_000, HOLD_MS);
      expectHeldPath(a);
      expectHeldPath(b);
      for (const report of [a, b]) {
        expect(report.localCandidateTypes).toContain('relay');
        expect(report.iceUrls).toContain(`turn:${NAT_LAB_ADDRESSES.turn}:3478?transport=udp`);
        expect(report.iceServersExpireAt).toBeGreaterThan(Date.now());
      }
      // One side's selected local candidate is its relay (the other may see it as prflx: nat-lab.md §4).
      const localTypes = [a.selected?.local.candidateType, b.selected?.local.candidateType];
      expect(localTypes, JSON.stringify([a.selected, b.selected])).toContain('relay');
    });

    it('symmetric NAT with a relay-only policy: both selected local candidates are relays', async () => {
      await lab.setNat('ra', 'symmetric');
      await lab.setNat('rb', 'symmetric');
      const [a, b] = await runPair('relay', 20_000, HOLD_MS);
      for (const report of [a, b]) {
        expectHeldPath(report);
        expect(report.selected?.local.candidateType, JSON.stringify(report.selected)).toBe('relay');
        expect(report.selected?.local.address).toBe(NAT_LAB_ADDRESSES.turn);
      }
    });
  },
);
