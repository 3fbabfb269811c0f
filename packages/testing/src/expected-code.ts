/**
 * The code a server must answer a fuzzed frame with, worked out locally: the decoder's verdict (by the same
 * `decodeClientMessage` the server runs), then, for a join the decoder accepts, the checks the server makes
 * before the join touches any state, in its order (rooms/presence.ts `join`): the nickname, the metadata
 * size, and `maxPeers` against the server's limit. What comes after (ROOM_FULL, NICKNAME_TAKEN,
 * TOO_MANY_ROOMS) depends on what other sockets did, so such frames are not judged.
 */
import { Buffer } from 'node:buffer';
import { decodeClientMessage, validateNickname, type ErrorCode } from '@switchboard/protocol';
import type { FuzzFrame } from './client-frame-arbitraries.js';

/** The server options the expectation depends on. */
export interface ExpectedCodeLimits {
  readonly maxFrameBytes: number;
  readonly maxMetadataBytes: number;
  readonly maxPeersPerRoom: number;
}

/** The code the server must send for this frame; undefined if it may accept it. */
export function expectedCode(frame: FuzzFrame, limits: ExpectedCodeLimits): ErrorCode | undefined {
  if (frame.isBinary) return 'INVALID_FRAME';
  const decoded = decodeClientMessage(frame.data, limits.maxFrameBytes);
  if (!decoded.ok) return decoded.code;
  const message = decoded.message;
  if (message.type !== 'join') return undefined;
  const nickname = validateNickname(message.metadata.nickname);
  if (!nickname.ok) return 'INVALID_NICKNAME';
  const clean = { ...message.metadata, nickname: nickname.nickname };
  if (Buffer.byteLength(JSON.stringify(clean)) > limits.maxMetadataBytes) return 'INVALID_METADATA';
  if (message.maxPeers !== undefined && message.maxPeers > limits.maxPeersPerRoom) return 'INVALID_MAX_PEERS';
  return undefined;
}
