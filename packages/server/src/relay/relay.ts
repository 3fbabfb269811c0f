/**
 * The relay: routes one signal to one peer. It stamps `from` with the sender's own peer id (the client
 * frame has no `from` field at all: the schema refuses one), applies the signal policy, and appends the frame
 * to the target's outbox. It never looks inside `data`: offers, answers, candidates and call control are
 * all the same opaque value to it, already size-capped by `maxFrameBytes` at the edge.
 *
 * A target that does not exist fails at once with PEER_NOT_FOUND (PeerServer's clients learn it only from
 * a timeout).
 *
 * Cost: this is the hot path, so a signal costs one bus call. The built-in policies need nothing from the
 * target but its rooms, which the bus checks atomically with the append (`requireSharedRoomWith`: the
 * sender's rooms, known here). Only a plugged-in policy, which may want the target's identity, or a bus
 * without `hasDeliverPreconditions`, pays for reading the target's session first.
 */
import type { ClusterBus, DeliverOrigin, DeliverResult } from '../bus/cluster-bus.js';
import {
  OpenSignalPolicy,
  SameRoomSignalPolicy,
  type SignalParty,
  type SignalPolicy,
} from '../auth/signal-policy.js';
import type { RequestOutcome } from '../rooms/presence.js';

const OK: RequestOutcome = { ok: true };
const NOT_FOUND: RequestOutcome = { ok: false, code: 'PEER_NOT_FOUND', message: 'no such peer' };
const FORBIDDEN: RequestOutcome = {
  ok: false,
  code: 'SIGNAL_FORBIDDEN',
  message: 'you share no room with this peer',
};
const FULL: RequestOutcome = { ok: false, code: 'OUTBOX_FULL', message: "the peer's outbox is full" };
const UNAVAILABLE: RequestOutcome = {
  ok: false,
  code: 'CLUSTER_UNAVAILABLE',
  message: 'the peer cannot be reached while the cluster store is unreachable; retry',
};

/** How the policy is applied: by the bus, atomically (`any`, `same-room`), or here, after a read (`read`). */
type PolicyCheck = 'any' | 'same-room' | 'read';

export class Relay {
  readonly #bus: ClusterBus;
  readonly #policy: SignalPolicy;
  readonly #check: PolicyCheck;
  readonly #onRelayed: () => void;

  /** @param onRelayed called once per signal accepted into an outbox (metrics) */
  constructor(bus: ClusterBus, policy: SignalPolicy, onRelayed: () => void) {
    this.#bus = bus;
    this.#policy = policy;
    this.#onRelayed = onRelayed;
    // Exact classes only: a subclass may have overridden `mayRelay`.
    const isOpen = policy.constructor === OpenSignalPolicy;
    const isSameRoom = policy.constructor === SameRoomSignalPolicy && bus.hasDeliverPreconditions === true;
    this.#check = isOpen ? 'any' : isSameRoom ? 'same-room' : 'read';
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
    const frame = { type: 'signal', from: sender.peerId, data } as const;
    let result: DeliverResult;
    if (this.#check === 'any') {
      result = await this.#bus.deliver(to, frame, origin);
    } else if (this.#check === 'same-room') {
      result = await this.#bus.deliver(to, frame, origin, { requireSharedRoomWith: sender.rooms });
    } else {
      const refusal = await this.#readAndCheck(sender, to);
      if (refusal !== undefined) return refusal;
      result = await this.#bus.deliver(to, frame, origin);
    }
    if (!result.ok) return outcomeOf(result.code);
    this.#onRelayed();
    return OK;
  }

  /**
   * `signal`, completed synchronously over a bus with `inline` operations and a policy the bus applies
   * (the default ones); `undefined`, having done nothing, when it cannot be. The single-node hot path: no
   * promise, no microtask. `data` is typically the sender's text (`RawJson`), forwarded as it is.
   */
  signalNow(sender: SignalParty, to: string, data: unknown): RequestOutcome | undefined {
    const inline = this.#bus.inline;
    if (inline === undefined || this.#check === 'read') return undefined;
    const frame = { type: 'signal', from: sender.peerId, data } as const;
    const result =
      this.#check === 'any'
        ? inline.deliver(to, frame)
        : inline.deliver(to, frame, undefined, { requireSharedRoomWith: sender.rooms });
    if (!result.ok) return outcomeOf(result.code);
    this.#onRelayed();
    return OK;
  }

  /** The policy asked with the target's stored record: two extra bus calls, for policies the bus cannot apply. */
  async #readAndCheck(sender: SignalParty, to: string): Promise<RequestOutcome | undefined> {
    const sessionId = await this.#bus.sessionOfPeer(to);
    if (sessionId === undefined) return NOT_FOUND;
    const target = await this.#bus.getSession(sessionId);
    if (target === undefined) return NOT_FOUND;
    const party = { peerId: target.peerId, identity: target.identity, rooms: target.rooms };
    return this.#policy.mayRelay(sender, party) ? undefined : FORBIDDEN;
  }
}

function outcomeOf(code: Extract<DeliverResult, { ok: false }>['code']): RequestOutcome {
  switch (code) {
    case 'PEER_NOT_FOUND':
      return NOT_FOUND;
    case 'SIGNAL_FORBIDDEN':
      return FORBIDDEN;
    case 'OUTBOX_FULL':
      return FULL;
    case 'CLUSTER_UNAVAILABLE':
      return UNAVAILABLE;
  }
}
