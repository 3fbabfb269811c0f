/**
 * How one room member looks to one recipient. The only recipient-specific part is `polite`: the rule for
 * perfect negotiation (W3C WebRTC §10.7, https://w3c.github.io/webrtc-pc/#perfect-negotiation-example) needs
 * exactly one polite peer per pair, and both ends must agree without talking. The server decides it from
 * the two peer ids, which both ends see the same: the peer with the greater id (by string comparison) is polite.
 */
import type { PeerInfo } from '@switchboard/protocol';
import type { RoomMember } from '../bus/cluster-bus.js';

/** Whether `recipientPeerId` is the polite side toward `otherPeerId`. */
export function isPolite(recipientPeerId: string, otherPeerId: string): boolean {
  return recipientPeerId > otherPeerId;
}

/** `member` as presence shows it to `recipientPeerId`. */
export function toPeerInfo(member: RoomMember, recipientPeerId: string): PeerInfo {
  return {
    peerId: member.peerId,
    metadata: member.metadata,
    state: member.state,
    polite: isPolite(recipientPeerId, member.peerId),
  };
}
