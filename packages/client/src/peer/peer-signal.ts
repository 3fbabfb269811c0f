/**
 * The envelopes the peer layer puts inside `signal.data`. The relay never reads them (PROTOCOL.md), so they
 * are our own small protocol between two SDKs. Every envelope carries `sb: 1` so that an app can send its
 * own signals through the same channel: anything without it is handed to the app untouched.
 *
 * Keys are one or two letters on purpose: the bench counts broker bytes for a 1:1 setup, and SDP already
 * dominates. Candidates travel as batches of tuples, so that the candidates gathered in one tick cost one
 * broker frame instead of one each (see CandidateBatcher).
 */
import { isCandidateTuple, type CandidateTuple } from './candidate-tuple.js';
import { packCandidates, packSdp, unpackCandidates, unpackSdp } from './sdp-codec.js';

export type { CandidateTuple } from './candidate-tuple.js';

/** Call-control operations (call/). `timeout` is the caller giving up after the ring timeout. */
export type CallOp = 'invite' | 'ringing' | 'accept' | 'decline' | 'busy' | 'cancel' | 'timeout' | 'hangup';

/**
 * Which incarnation of a link an envelope belongs to. `l` is the sender's link id; `r` is the recipient's
 * link id as the sender knows it (absent until the sender has heard from that link). A link closed and
 * reopened to the same peer gets a new id, so late envelopes of the old one are recognised and dropped
 * instead of being applied to the new connection. Both are absent in envelopes from older SDKs.
 */
export interface LinkIds {
  readonly l?: string;
  readonly r?: string;
}

/** Every envelope of the peer layer, a discriminated union on `k`. */
export type PeerSignal =
  /**
   * A session description. `t` is the SDP type, `s` the SDP text (with the candidates gathered before it was
   * sent). `e: 1` says gathering had finished, too: the end of candidates, folded in to save a frame.
   * On the wire, `z` (the SDP packed with `SDP_CODEC`, sdp-codec.ts) may stand instead of `s`, toward a peer
   * that advertised it; `parsePeerSignal` unpacks it into `s` and sets `packed`.
   */
  | ({
      readonly sb: 1;
      readonly k: 'sdp';
      readonly t: 'offer' | 'answer';
      readonly s: string;
      readonly e?: 1;
      /** Set on a received envelope that came packed: its sender reads packed descriptions too. */
      readonly packed?: true;
    } & LinkIds)
  /**
   * Trickled candidates (`c`) and, with `e: 1`, the end of candidates for the current generation. On the
   * wire, `zc` (the batch packed with `SDP_CODEC`) may stand instead of a non-empty `c`, like `z` for `s`.
   */
  | ({
      readonly sb: 1;
      readonly k: 'ice';
      readonly c: readonly CandidateTuple[];
      readonly e?: 1;
    } & LinkIds)
  /**
   * Call control. `id` names the call; `m` is the invite's metadata. `o: 1` on an invite says the caller
   * sends media when the call is accepted, so its offer comes first and the callee's media follows it
   * (call/call.ts). Absent in invites from older SDKs and from callers with nothing to send.
   */
  | {
      readonly sb: 1;
      readonly k: 'call';
      readonly op: CallOp;
      readonly id: string;
      readonly m?: Readonly<Record<string, unknown>>;
      readonly o?: 1;
    }
  /** The sender closed its link to us: close ours now instead of waiting for ICE to time out. */
  | ({ readonly sb: 1; readonly k: 'bye' } & LinkIds);

/** The longest link id accepted from a remote peer. */
const MAX_LINK_ID_LENGTH = 64;

const CALL_OPS: ReadonlySet<string> = new Set([
  'invite',
  'ringing',
  'accept',
  'decline',
  'busy',
  'cancel',
  'timeout',
  'hangup',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads untrusted `signal.data` as a peer-layer envelope. Returns `undefined` when it is not ours (no `sb: 1`)
 * or is malformed: a remote peer is not trusted to send well-formed envelopes, and one bad signal must not
 * break the link.
 */
export function parsePeerSignal(data: unknown): PeerSignal | undefined {
  if (!isRecord(data) || data['sb'] !== 1) return undefined;
  switch (data['k']) {
    case 'sdp': {
      const t = data['t'];
      const z = data['z'];
      const ids = parseLinkIds(data);
      if ((t !== 'offer' && t !== 'answer') || ids === undefined) return undefined;
      // Exactly one of `s` and `z`; a packing that does not unpack makes the envelope malformed.
      if (z !== undefined && data['s'] !== undefined) return undefined;
      const s = z === undefined ? data['s'] : typeof z === 'string' ? unpackSdp(z) : undefined;
      if (typeof s !== 'string') return undefined;
      return {
        sb: 1,
        k: 'sdp',
        t,
        s,
        ...(data['e'] === 1 ? { e: 1 as const } : {}),
        ...(z === undefined ? {} : { packed: true as const }),
        ...ids,
      };
    }
    case 'ice': {
      const zc = data['zc'];
      const ids = parseLinkIds(data);
      if (zc !== undefined && data['c'] !== undefined) return undefined;
      const c = zc === undefined ? data['c'] : typeof zc === 'string' ? unpackCandidates(zc) : undefined;
      if (!Array.isArray(c) || !c.every(isCandidateTuple) || ids === undefined) return undefined;
      return data['e'] === 1 ? { sb: 1, k: 'ice', c, e: 1, ...ids } : { sb: 1, k: 'ice', c, ...ids };
    }
    case 'call': {
      const op = data['op'];
      const id = data['id'];
      const m = data['m'];
      if (typeof op !== 'string' || !CALL_OPS.has(op) || typeof id !== 'string' || id.length > 128)
        return undefined;
      if (m !== undefined && !isRecord(m)) return undefined;
      // Any other value of `o` is read as absent: the callee then sends its media at once, as before.
      return {
        sb: 1,
        k: 'call',
        op: op as CallOp,
        id,
        ...(m === undefined ? {} : { m }),
        ...(data['o'] === 1 ? { o: 1 as const } : {}),
      };
    }
    case 'bye': {
      const ids = parseLinkIds(data);
      return ids === undefined ? undefined : { sb: 1, k: 'bye', ...ids };
    }
    default:
      return undefined;
  }
}

/**
 * The envelope as it goes on the wire to a peer that reads packed envelopes: an `sdp` envelope's `s` becomes
 * `z`, and a non-empty `ice` batch's `c` becomes `zc`. Every other envelope goes as it is.
 */
export function packedForWire(signal: PeerSignal): unknown {
  try {
    if (signal.k === 'sdp') {
      const { s, packed: _packed, ...rest } = signal;
      return { ...rest, z: packSdp(s) };
    }
    // An empty batch (a bare end of candidates) gains nothing from packing.
    if (signal.k === 'ice' && signal.c.length > 0) {
      const { c, ...rest } = signal;
      return { ...rest, zc: packCandidates(c) };
    }
  } catch (error) {
    // Past the codec's bound (MAX_SDP_BYTES) the remote SDK would refuse the packing: it goes plain.
    if (!(error instanceof RangeError)) throw error;
  }
  return signal;
}

/** The optional `l`/`r` of an envelope; `undefined` when either is present but not a short string. */
function parseLinkIds(data: Record<string, unknown>): LinkIds | undefined {
  const ids: { l?: string; r?: string } = {};
  for (const key of ['l', 'r'] as const) {
    const value = data[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LINK_ID_LENGTH)
      return undefined;
    ids[key] = value;
  }
  return ids;
}

/** Turns a browser/wrtc candidate into the compact tuple. */
export function toCandidateTuple(candidate: RTCIceCandidateInit): CandidateTuple {
  return [
    candidate.candidate ?? '',
    candidate.sdpMid ?? null,
    candidate.sdpMLineIndex ?? null,
    candidate.usernameFragment ?? null,
  ];
}

/** Turns a tuple back into an `RTCIceCandidateInit`. */
export function fromCandidateTuple(tuple: CandidateTuple): RTCIceCandidateInit {
  const [candidate, sdpMid, sdpMLineIndex, usernameFragment] = tuple;
  return { candidate, sdpMid, sdpMLineIndex, usernameFragment };
}
