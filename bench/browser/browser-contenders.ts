/**
 * Who takes part in the Chromium workloads. The bare page over the minimal ws relay is the floor; PeerJS with
 * PeerServer is the anchor users would pick; the bare page over Switchboard's wire protocol shows what the
 * broker itself adds; the Switchboard SDK rows drive the SDK's own browser bundle (pages/sdk-page.js).
 */
import { readFileSync } from 'node:fs';
import { CONTENDERS, REPO_ROOT, type ContenderName } from '../contenders/contender-specs.js';

/** One browser-side contender. */
export interface BrowserContender {
  name: string;
  /** Which page drives the browsers. */
  page: 'bare' | 'peerjs' | 'sdk';
  /** Which server process brokers the calls. */
  server: ContenderName;
  /** What the bare page speaks (ignored by the PeerJS page). */
  protocol: 'ws-relay' | 'switchboard';
  trickle: boolean;
  unavailableReason(): string | undefined;
}

function serverReason(server: ContenderName): () => string | undefined {
  return () => CONTENDERS[server].unavailableReason();
}

/** Why the SDK rows cannot run: the server cannot, or the SDK has no peer layer to drive. */
function sdkReason(): string | undefined {
  const server = CONTENDERS.switchboard.unavailableReason();
  if (server !== undefined) return server;
  const index = readFileSync(`${REPO_ROOT}packages/client/src/index.ts`, 'utf8');
  if (!index.includes('PeerManager'))
    return '@switchboard/client does not export its peer layer (PeerManager) yet';
  return undefined;
}

export const BROWSER_CONTENDERS: readonly BrowserContender[] = [
  {
    name: 'switchboard-sdk (trickle)',
    page: 'sdk',
    server: 'switchboard',
    protocol: 'switchboard',
    trickle: true,
    unavailableReason: sdkReason,
  },
  {
    name: 'switchboard-sdk (non-trickle)',
    page: 'sdk',
    server: 'switchboard',
    protocol: 'switchboard',
    trickle: false,
    unavailableReason: sdkReason,
  },
  {
    name: 'bare page over switchboard wire',
    page: 'bare',
    server: 'switchboard',
    protocol: 'switchboard',
    trickle: true,
    unavailableReason: serverReason('switchboard'),
  },
  {
    name: 'peerjs + PeerServer',
    page: 'peerjs',
    server: 'peer-server',
    protocol: 'ws-relay',
    trickle: true,
    unavailableReason: serverReason('peer-server'),
  },
  {
    name: 'bare page over ws relay (floor)',
    page: 'bare',
    server: 'ws-relay',
    protocol: 'ws-relay',
    trickle: true,
    unavailableReason: serverReason('ws-relay'),
  },
];
