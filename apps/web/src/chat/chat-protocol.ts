/**
 * The chat wire format, inside a data channel: a message, and an acknowledgement that produces the second
 * tick. Parsing is defensive because the other side is another browser we do not control.
 */

/** A chat message on the wire. */
export interface ChatMessageFrame {
  readonly t: 'msg';
  readonly id: string;
  readonly text: string;
  readonly at: number;
}

/** "I received message `id`." */
export interface ChatAckFrame {
  readonly t: 'ack';
  readonly id: string;
}

export type ChatFrame = ChatMessageFrame | ChatAckFrame;

/** Longest message accepted, in UTF-16 units. */
export const MAX_CHAT_TEXT = 4000;

/** Parse a frame; `undefined` for anything malformed. */
export function parseChatFrame(raw: string): ChatFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  const id = frame['id'];
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
  if (frame['t'] === 'ack') return { t: 'ack', id };
  const text = frame['text'];
  const at = frame['at'];
  if (
    frame['t'] !== 'msg' ||
    typeof text !== 'string' ||
    text.length > MAX_CHAT_TEXT ||
    typeof at !== 'number'
  ) {
    return undefined;
  }
  return { t: 'msg', id, text, at };
}

/** Serialise a frame. */
export function encodeChatFrame(frame: ChatFrame): string {
  return JSON.stringify(frame);
}
