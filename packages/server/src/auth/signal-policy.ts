/**
 * Who may signal whom. The relay asks the policy before it appends a signal to the target's outbox; a
 * refusal is `SIGNAL_FORBIDDEN`. The default, same-room, keeps strangers from probing peers they cannot see
 * (PeerServer relays to any id it is given, which is how its users get spammed: shared/reference/peers.md).
 */

/** One end of a signal, as the policy sees it. */
export interface SignalParty {
  readonly peerId: string;
  /** The authenticated identity, or `undefined` when anonymous. */
  readonly identity: string | undefined;
  /** Rooms the peer is in now. */
  readonly rooms: readonly string[];
}

/** Decides whether a signal from `from` may be relayed to `to`. It must be fast and must not throw. */
export interface SignalPolicy {
  mayRelay(from: SignalParty, to: SignalParty): boolean;
}

/** The `signalPolicy` option: a built-in name, a policy object, or just its `mayRelay` function. */
export type SignalPolicyOption = 'same-room' | 'any' | SignalPolicy | SignalPolicy['mayRelay'];

/** The default: a peer may signal only peers it shares at least one room with. */
export class SameRoomSignalPolicy implements SignalPolicy {
  mayRelay(from: SignalParty, to: SignalParty): boolean {
    // Rooms per session are few (maxRoomsPerSession), so a nested scan beats building a Set per signal.
    for (const room of from.rooms) if (to.rooms.includes(room)) return true;
    return false;
  }
}

/** Anyone may signal any existing peer (for apps that hand out peer ids themselves). */
export class OpenSignalPolicy implements SignalPolicy {
  mayRelay(): boolean {
    return true;
  }
}

/** Turn the `signalPolicy` option into a policy object. */
export function toSignalPolicy(option: SignalPolicyOption): SignalPolicy {
  if (option === 'same-room') return new SameRoomSignalPolicy();
  if (option === 'any') return new OpenSignalPolicy();
  if (typeof option === 'function') return { mayRelay: option };
  return option;
}
