/**
 * Turns server frames into wire text, with a request ack piggybacked when one is due.
 *
 * A relayed signal whose `data` is the sender's own text (a `RawJson`, as the edge decoder gives it) is
 * written from a template around that text, so the opaque payload, often a 3 KB SDP, is never parsed or
 * serialised: not for the first send, and not for a replay. Any other frame is serialised as usual (a
 * `RawJson` inside it still writes its value, through `toJSON`).
 */
import { RawJson, type SequencedServerMessage } from '@switchboard/protocol';

/** The wire text of `frame`, with `ack` (a cumulative request ack) added when given. */
export function encodeFrame(frame: SequencedServerMessage, ack: number | undefined): string {
  if (frame.type === 'signal' && frame.data instanceof RawJson) {
    // `from` is a server-issued peer id ([A-Za-z0-9_-], PROTOCOL.md), so it needs no escaping.
    const head = `{"type":"signal","seq":${frame.seq},"from":"${frame.from}"`;
    const text = frame.data.text;
    return ack === undefined ? `${head},"data":${text}}` : `${head},"ack":${ack},"data":${text}}`;
  }
  return withAck(JSON.stringify(frame), ack);
}

/**
 * Whether `encodeFrame(frame, …)` is known to be ASCII without reading it: a relayed signal whose `data` the
 * decoder found ASCII (its envelope is: digits, and a server-issued peer id). The transport then skips its
 * own pass over the text. `false` means "not known".
 */
export function isKnownAscii(frame: SequencedServerMessage): boolean {
  return frame.type === 'signal' && frame.data instanceof RawJson && frame.data.isAscii;
}

/** `json` (one serialised object) with `ack` added as its last member. */
export function withAck(json: string, ack: number | undefined): string {
  return ack === undefined ? json : `${json.slice(0, -1)},"ack":${ack}}`;
}
