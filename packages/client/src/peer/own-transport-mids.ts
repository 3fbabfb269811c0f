/**
 * Which m-sections of a local description gather ICE candidates on a transport of their own. Before an
 * answer has accepted BUNDLE, Chromium's default `balanced` policy gives audio, video and data a transport
 * each; under `max-bundle` the others are marked `a=bundle-only` with port 0 and gather nothing. A rejected
 * m-section (port 0) gathers nothing either.
 */

/** The `sdpMid`s of the m-sections of `sdp` that are active and not bundle-only. */
export function ownTransportMids(sdp: string): Set<string> {
  const mids = new Set<string>();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const port = section.split(' ', 2)[1];
    const mid = /\na=mid:(\S+)/.exec(section)?.[1];
    if (mid === undefined || port === '0' || /\na=bundle-only\b/.test(section)) continue;
    mids.add(mid);
  }
  return mids;
}
