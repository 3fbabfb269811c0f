/**
 * The SDK's decoder for server frames. The client trusts its own server far more than the server trusts
 * clients, so this is a light structural check (object, known `type`, numeric `seq` where required) with no
 * schema compiler, which keeps the browser bundle small. Tests validate server output strictly with
 * `validateServerMessage`.
 */
import type { ServerMessage } from './messages.js';
import { SwitchboardError } from './switchboard-error.js';

const SEQUENCED = new Set(['roster', 'peer-joined', 'peer-updated', 'peer-left', 'left', 'signal']);
const KNOWN = new Set([...SEQUENCED, 'welcome', 'ack', 'error', 'pong', 'ice-servers', 'server-going-away']);

/** Parse one server frame; throws `SwitchboardError('INVALID_FRAME')` when it is not a server message. */
export function parseServerMessage(text: string): ServerMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SwitchboardError('INVALID_JSON', 'server frame is not valid JSON', { cause });
  }
  if (typeof value !== 'object' || value === null) {
    throw new SwitchboardError('INVALID_FRAME', 'server frame is not an object');
  }
  const { type, seq, ack } = value as { type?: unknown; seq?: unknown; ack?: unknown };
  if (typeof type !== 'string' || !KNOWN.has(type)) {
    throw new SwitchboardError('UNKNOWN_TYPE', `unknown server message type ${String(type)}`);
  }
  if (SEQUENCED.has(type) && typeof seq !== 'number') {
    throw new SwitchboardError('INVALID_FRAME', `server ${type} frame has no seq`);
  }
  // A piggybacked request ack settles requests, so a malformed one must not be taken for "nothing acked".
  if (ack !== undefined && typeof ack !== 'number') {
    throw new SwitchboardError('INVALID_FRAME', `server ${type} frame has a non-numeric ack`);
  }
  return value as ServerMessage;
}
