/**
 * Turns server frames into wire text, with a request ack piggybacked when one is due.
 *
 * A relayed signal is written from a template around the text of its `data` exactly as the sender wrote it
 * (`decodeClientMessage` gives it), so the opaque payload, often a 3 KB SDP, is never serialised again: not
 * for the first send, and not for a replay. The relay attaches that text to the frame under the `DATA_TEXT`
 * symbol key: `JSON.stringify` skips symbol keys (a bus that serialises frames, like Redis, stores only the
 * protocol fields), while the outbox's `{ ...frame, seq }` keeps it, all without a side table per message.
 * Frames without it (a queued request, or frames read back from another process) are serialised as usual.
 */
import type { SequencedServerMessage } from '@switchboard/protocol';

/** The symbol key under which a relayed signal frame carries the sender's JSON text of its `data`. */
export const DATA_TEXT: unique symbol = Symbol('switchboard.dataText');

/** A frame that may carry the text of its `data`. */
type WithDataText = { readonly [DATA_TEXT]?: string };

/** The wire text of `frame`, with `ack` (a cumulative request ack) added when given. */
export function encodeFrame(frame: SequencedServerMessage, ack: number | undefined): string {
  if (frame.type === 'signal') {
    const text = (frame as WithDataText)[DATA_TEXT];
    // `from` is a server-issued peer id ([A-Za-z0-9_-], PROTOCOL.md), so it needs no escaping.
    if (text !== undefined) {
      const head = `{"type":"signal","seq":${frame.seq},"from":"${frame.from}"`;
      return ack === undefined ? `${head},"data":${text}}` : `${head},"ack":${ack},"data":${text}}`;
    }
  }
  return withAck(JSON.stringify(frame), ack);
}

/** `json` (one serialised object) with `ack` added as its last member. */
export function withAck(json: string, ack: number | undefined): string {
  return ack === undefined ? json : `${json.slice(0, -1)},"ack":${ack}}`;
}
