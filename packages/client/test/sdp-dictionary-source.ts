/**
 * How the `z1` dictionary (src/peer/sdp-dictionary.ts) is built from the captured descriptions and
 * candidates in src/peer/fixtures, kept beside the test that checks the two still agree
 * (sdp-dictionary.test.ts). The dictionary is frozen under its token; this is the recipe for the next one.
 *
 * Per-session values are cut out (they cannot repeat in another session), and the rest is ordered rarest
 * first, because DEFLATE codes a nearer match in fewer bits: lines that only some descriptions have, then
 * one candidate tuple per distinct candidate shape as `JSON.stringify` writes a batch, then three whole
 * descriptions (an audio+video+data offer, whose codec blocks then match in runs of 258 bytes, and the
 * data-channel answer and offer, the most common).
 */

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A description without its per-session values: session id, ICE credentials, fingerprint, msids, ssrcs, ports. */
export function scrubSdp(sdp: string): string {
  return sdp
    .replace(/^o=- \d+ /m, 'o=- ')
    .replace(/^(a=ice-ufrag:|a=ice-pwd:).*$/gm, '$1')
    .replace(/^(a=fingerprint:sha-256 ).*$/gm, '$1')
    .replace(UUID, '')
    .replace(/^a=ssrc:\d+ cname:.*$/gm, 'a=ssrc: cname:')
    .replace(/^a=ssrc:\d+ /gm, 'a=ssrc: ')
    .replace(/^a=ssrc-group:FID \d+ \d+$/gm, 'a=ssrc-group:FID ')
    .replace(/^a=candidate:\d+ /gm, 'a=candidate: ')
    .replace(/ (\d{2,5}) typ /g, '  typ ')
    .replace(/ rport \d+/g, ' rport ')
    .replace(/^(m=\w+) \d{2,5} /gm, '$1  ');
}

/** A trickled candidate line without its foundation, ports and ufrag. */
export function scrubCandidate(candidate: string): string {
  return candidate
    .replace(/^candidate:\d+ /, 'candidate: ')
    .replace(/ (\d{2,5}) typ /g, '  typ ')
    .replace(/ rport \d+/g, ' rport ')
    .replace(/ ufrag \S+/, ' ufrag ');
}

/**
 * The dictionary's lines (joined with CRLF) from the fixtures: `sdps` by name, `candidates` as batches of
 * `[candidate, sdpMid, sdpMLineIndex, usernameFragment]`.
 */
export function buildSdpDictionaryLines(
  sdps: Readonly<Record<string, string>>,
  candidates: Readonly<Record<string, readonly (readonly unknown[])[]>>,
): string[] {
  const scrubbed = (name: string): string => scrubSdp(sdps[name] ?? '');
  const main = ['chromium-av-data-offer', 'chromium-data-answer', 'chromium-data-offer']
    .map(scrubbed)
    .join('');
  const inMain = new Set(main.split('\r\n'));
  const rare: string[] = [];
  for (const sdp of Object.values(sdps)) {
    for (const line of scrubSdp(sdp).split('\r\n'))
      if (!inMain.has(line) && !rare.includes(line)) rare.push(line);
  }
  const shapes = new Set<string>();
  const tuples: string[] = [];
  for (const batch of Object.values(candidates)) {
    for (const [candidate] of batch) {
      const shape = scrubCandidate(String(candidate));
      if (shapes.has(shape)) continue;
      shapes.add(shape);
      tuples.push(JSON.stringify([shape, '0', 0, '']));
    }
  }
  return [...rare, `[${tuples.join(',')}]`, ...main.split('\r\n')];
}
