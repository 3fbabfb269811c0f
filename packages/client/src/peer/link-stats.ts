/**
 * Reads what an app usually wants from `getStats()`: which path the link took (host, srflx, prflx or relay
 * on each side) and the round-trip time. The selected pair is found through the transport's
 * `selectedCandidatePairId` (Chromium, wrtc), falling back to the nominated succeeded pair (Firefox has
 * `selected` instead).
 */

/** A candidate type as getStats reports it. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** The selected path of a link. */
export interface LinkStats {
  /** Type of this side's candidate in the selected pair, or `undefined` before ICE has selected one. */
  readonly localCandidateType: CandidateType | undefined;
  /** Type of the remote candidate in the selected pair. */
  readonly remoteCandidateType: CandidateType | undefined;
  /** Current round-trip time of the selected pair in milliseconds, when measured. */
  readonly roundTripTimeMs: number | undefined;
  /** Bytes sent and received over the selected pair. */
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

type StatsRecord = Record<string, unknown> & { readonly id: string; readonly type: string };

function candidateType(value: unknown): CandidateType | undefined {
  return value === 'host' || value === 'srflx' || value === 'prflx' || value === 'relay' ? value : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** Collects `LinkStats` from one connection. */
export async function readLinkStats(pc: RTCPeerConnection): Promise<LinkStats> {
  const report = await pc.getStats();
  const byId = new Map<string, StatsRecord>();
  report.forEach((value: StatsRecord) => byId.set(value.id, value));
  let pair: StatsRecord | undefined;
  for (const record of byId.values()) {
    if (record.type === 'transport' && typeof record['selectedCandidatePairId'] === 'string') {
      pair = byId.get(record['selectedCandidatePairId']);
      if (pair !== undefined) break;
    }
  }
  if (pair === undefined) {
    for (const record of byId.values()) {
      if (record.type !== 'candidate-pair') continue;
      if (record['selected'] === true || (record['nominated'] === true && record['state'] === 'succeeded')) {
        pair = record;
        break;
      }
    }
  }
  if (pair === undefined) {
    return {
      localCandidateType: undefined,
      remoteCandidateType: undefined,
      roundTripTimeMs: undefined,
      bytesSent: 0,
      bytesReceived: 0,
    };
  }
  const local = byId.get(String(pair['localCandidateId']));
  const remote = byId.get(String(pair['remoteCandidateId']));
  const rttSeconds = pair['currentRoundTripTime'];
  return {
    localCandidateType: candidateType(local?.['candidateType']),
    remoteCandidateType: candidateType(remote?.['candidateType']),
    roundTripTimeMs: typeof rttSeconds === 'number' ? rttSeconds * 1000 : undefined,
    bytesSent: numberOr(pair['bytesSent'], 0),
    bytesReceived: numberOr(pair['bytesReceived'], 0),
  };
}
