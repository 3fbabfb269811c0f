/**
 * Realistic signaling payloads. A WebRTC setup sends one offer or answer (a few KB of SDP) and a handful of
 * ICE candidates (~250 B each), so the relay workloads send one ~3 KB SDP-like message per 10 and ~250 B
 * candidate-like JSON otherwise (issue 7). Every payload carries `t` (the load generator's send or intended
 * send time, in ms) and `n` (a per-sender counter), which the receiver reads back for latency and loss.
 *
 * Payloads are built by string concatenation around pre-serialised constant parts, so the load generator
 * spends its core on the sockets, not on JSON.stringify.
 */

/** Which shape a message has: the protocol adapters map `sdp` to PeerJS `OFFER` and `candidate` to `CANDIDATE`. */
export type PayloadKind = 'sdp' | 'candidate';

/** Every `SDP_EVERY`-th message (n = 0, 10, 20, ...) is SDP-like. */
export const SDP_EVERY = 10;

const CANDIDATE_BODY = JSON.stringify({
  candidate: {
    candidate:
      'candidate:842163049 1 udp 1677729535 203.0.113.7 54321 typ srflx raddr 192.168.1.10 rport 54321 generation 0 ufrag Xy3z network-id 1 network-cost 10',
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'Xy3z',
  },
});

/** An SDP answer shaped like Chromium's for audio+video+data, trimmed to about 3 KB of text. */
function buildSdp(): string {
  const lines = [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1 2',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS 5b3f0f36-1c4e-4a59-9a0b-6c7e1f0e2d44',
  ];
  const media = [
    ['audio', '9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126'],
    ['video', '9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 105 106 107 108 109'],
  ] as const;
  media.forEach(([kind, fmt], mid) => {
    lines.push(
      `m=${kind} ${fmt}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      'a=ice-ufrag:Xy3z',
      'a=ice-pwd:N8Z4fW1kqj0m9s7b2c5d6e3R',
      'a=ice-options:trickle',
      'a=fingerprint:sha-256 6B:8B:5D:EA:59:04:20:23:29:C8:87:1C:CC:87:32:BE:DD:8C:66:A5:8E:50:55:EA:4C:D3:B6:5F:09:5E:D6:BC',
      'a=setup:active',
      `a=mid:${mid}`,
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
      'a=sendrecv',
      'a=rtcp-mux',
      'a=rtpmap:111 opus/48000/2',
      'a=rtcp-fb:111 transport-cc',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:96 VP8/90000',
      'a=rtcp-fb:96 goog-remb',
      'a=rtcp-fb:96 ccm fir',
      'a=rtcp-fb:96 nack',
      'a=rtcp-fb:96 nack pli',
      'a=rtpmap:97 rtx/90000',
      'a=fmtp:97 apt=96',
      'a=rtpmap:102 H264/90000',
      'a=rtcp-fb:102 transport-cc',
      'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
      'a=rtcp-fb:102 nack',
      'a=rtcp-fb:102 nack pli',
      'a=rtpmap:103 rtx/90000',
      'a=fmtp:103 apt=102',
      'a=ssrc-group:FID 1712238931 3523157226',
      'a=ssrc:1712238931 cname:Qp7cYwD9n2hL3kzR',
      'a=ssrc:1712238931 msid:5b3f0f36-1c4e-4a59-9a0b-6c7e1f0e2d44 0b7c4a1e-9d2f-4e8a-b1c3-7f6e5d4c3b2a',
    );
  });
  lines.push(
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    'a=ice-ufrag:Xy3z',
    'a=ice-pwd:N8Z4fW1kqj0m9s7b2c5d6e3R',
    'a=setup:active',
    'a=mid:2',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
  );
  return lines.join('\r\n') + '\r\n';
}

const SDP_BODY = JSON.stringify({ sdp: { type: 'answer', sdp: buildSdp() } });

/** The kind of the n-th message a sender sends. */
export function payloadKind(n: number): PayloadKind {
  return n % SDP_EVERY === 0 ? 'sdp' : 'candidate';
}

/**
 * The JSON text of the n-th payload: `{"t":…,"n":…,<constant body>}`. `t` is rounded to microseconds so the
 * text length stays stable.
 */
export function payloadJson(n: number, tMs: number): string {
  const body = payloadKind(n) === 'sdp' ? SDP_BODY : CANDIDATE_BODY;
  return `{"t":${tMs.toFixed(3)},"n":${n},${body.slice(1)}`;
}

/** What the receiver needs back from a payload. */
export interface PayloadStamp {
  t: number;
  n: number;
}

/** Read `t` and `n` from a payload that has already been parsed by the protocol adapter. */
export function readStamp(data: unknown): PayloadStamp | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { t, n } = data as { t?: unknown; n?: unknown };
  return typeof t === 'number' && typeof n === 'number' ? { t, n } : undefined;
}
