/**
 * The relay: routes one signal to one peer. It stamps `from` with the sender's own peer id (the client
 * frame has no `from` field at all: the schema refuses one), asks the signal policy, and appends the frame
 * to the target's outbox. It never looks inside `data`: offers, answers, candidates and call control are
 * all the same opaque value to it, already size-capped by `maxFrameBytes` at the edge.
 *
 * A target that does not exist fails at once with PEER_NOT_FOUND (PeerServer's clients learn it only from
 * a timeout).
 */
import type { ClusterBus, DeliverOrigin } from '../bus/cluster-bus.js';
import type { SignalPolicy, SignalParty } from '../auth/signal-policy.js';
import type { RequestOutcome } from '../rooms/presence.js';

const OK: RequestOutcome = { ok: true };
const NOT_FOUND: RequestOutcome = { ok: false, code: 'PEER_NOT_FOUND', message: 'no such peer' };
const FORBIDDEN: RequestOutcome = {
  ok: false,
  code: 'SIGNAL_FORBIDDEN',
  message: 'you share no room with this peer',
};
const FULL: RequestOutcome = { ok: false, code: 'OUTBOX_FULL', message: "the peer's outbox is full" };

export class Relay {
  readonly #bus: ClusterBus;
  readonly #policy: SignalPolicy;
  readonly #onRelayed: () => void;

  /** @param onRelayed called once per signal accepted into an outbox (metrics) */
  constructor(bus: ClusterBus, policy: SignalPolicy, onRelayed: () => void) {
    this.#bus = bus;
    this.#policy = policy;
    this.#onRelayed = onRelayed;
  }

  /**
   * Relay `data` from `sender` to peer `to`. `origin` names the request, so the bus can record it as done
   * atomically with the delivery (no duplicate if this node dies before acknowledging it).
   */
  async signal(
    sender: SignalParty,
    to: string,
    data: unknown,
    origin?: DeliverOrigin,
  ): Promise<RequestOutcome> {
    const sessionId = await this.#bus.sessionOfPeer(to);
    if (sessionId === undefined) return NOT_FOUND;
    const target = await this.#bus.getSession(sessionId);
    if (target === undefined) return NOT_FOUND;
    if (
      !this.#policy.mayRelay(sender, {
        peerId: target.peerId,
        identity: target.identity,
        rooms: target.rooms,
      })
    ) {
      return FORBIDDEN;
    }
    const result = await this.#bus.deliver(to, { type: 'signal', from: sender.peerId, data }, origin);
    if (!result.ok) return result.code === 'OUTBOX_FULL' ? FULL : NOT_FOUND;
    this.#onRelayed();
    return OK;
  }
}
