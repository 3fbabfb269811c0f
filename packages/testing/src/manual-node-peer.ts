/**
 * One side of a serverless (copy/paste) connection in Node: a ManualSignalChannel and a PeerManager on
 * @roamhq/wrtc in non-trickle mode, as the SDK's serverless mode runs it.
 */
import { ManualSignalChannel, PeerManager, type ManualRole } from '@switchboard/client';
import { WrtcPeerConnection } from './wrtc.js';

/** A manual-mode Node peer. */
export interface ManualNodePeer {
  readonly signals: ManualSignalChannel;
  readonly peers: PeerManager;
}

/** Creates the `role` side of a copy/paste connection. Close it with `peers.close()`. */
export function createManualNodePeer(role: ManualRole): ManualNodePeer {
  const signals = new ManualSignalChannel(role);
  const peers = new PeerManager({ signals, iceMode: 'complete', RTCPeerConnection: WrtcPeerConnection });
  return { signals, peers };
}
