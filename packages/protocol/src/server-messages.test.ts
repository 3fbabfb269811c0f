import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './parse-server-message.js';
import { validateServerMessage } from './validate-server-message.js';
import type { ServerMessage } from './messages.js';
import { SERVER_MESSAGE_SCHEMAS } from './schemas.js';
import { SwitchboardError } from './switchboard-error.js';

const limits = {
  maxFrameBytes: 65536,
  messagesPerSecond: 50,
  messageBurst: 100,
  maxRoomsPerSession: 8,
  maxOutbox: 1000,
  maxPeersPerRoom: 50,
  graceMs: 60000,
  pingIntervalMs: 5000,
  ackDelayMs: 20,
};
const peer = { peerId: 'p2', metadata: { nickname: 'Bob' }, state: 'online' as const, polite: true };

/** One valid example of every server message type. */
const EXAMPLES: Record<ServerMessage['type'], ServerMessage> = {
  welcome: {
    type: 'welcome',
    v: 1,
    peerId: 'p1',
    sessionId: 's1',
    resumeSecret: 'secret',
    resumed: false,
    lastClientId: 0,
    seq: 0,
    rooms: [],
    iceServers: [{ urls: 'stun:127.0.0.1:3478' }, { urls: ['turn:t:3478'], username: 'u', credential: 'c' }],
    iceServersExpireAt: 1_700_000_000_000,
    limits,
  },
  roster: {
    type: 'roster',
    seq: 1,
    ref: 1,
    room: 'lobby',
    self: { peerId: 'p1', metadata: { nickname: 'Ada' } },
    peers: [peer],
  },
  'peer-joined': { type: 'peer-joined', seq: 2, room: 'lobby', peer },
  'peer-updated': { type: 'peer-updated', seq: 3, room: 'lobby', peer: { ...peer, state: 'reconnecting' } },
  'peer-left': { type: 'peer-left', seq: 4, room: 'lobby', peerId: 'p2', reason: 'node-failure' },
  left: { type: 'left', seq: 5, room: 'lobby', reason: 'left', ref: 2 },
  signal: { type: 'signal', seq: 6, from: 'p2', data: { anything: ['goes'] } },
  ack: { type: 'ack', id: 3 },
  error: { type: 'error', code: 'PEER_NOT_FOUND', message: 'no such peer', ref: 4, seq: 7 },
  pong: { type: 'pong', t: 1 },
  'ice-servers': { type: 'ice-servers', iceServers: [], expiresAt: 5 },
  'server-going-away': { type: 'server-going-away', reason: 'drain', reconnectInMs: 1500 },
};

describe('server messages', () => {
  it('has an example for every server message type', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(Object.keys(SERVER_MESSAGE_SCHEMAS).sort());
  });

  for (const [type, message] of Object.entries(EXAMPLES)) {
    it(`validates and round-trips ${type}`, () => {
      expect(validateServerMessage(message)).toBeUndefined();
      expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
    });
  }

  it('flags a server frame with an extra or missing field', () => {
    expect(validateServerMessage({ ...EXAMPLES.ack, extra: 1 })).toContain('ack');
    expect(validateServerMessage({ type: 'signal', seq: 1, data: 1 })).toContain('signal');
    expect(validateServerMessage({ type: 'nope' })).toBe('unknown server message type nope');
  });

  it('parses leniently but refuses what is not a server frame, with a SwitchboardError', () => {
    const codeOf = (text: string): string | undefined => {
      try {
        parseServerMessage(text);
        return undefined;
      } catch (error) {
        return error instanceof SwitchboardError ? error.code : 'not a SwitchboardError';
      }
    };
    expect(codeOf('not json')).toBe('INVALID_JSON');
    expect(codeOf('"text"')).toBe('INVALID_FRAME');
    expect(codeOf('{"type":"teleport"}')).toBe('UNKNOWN_TYPE');
    expect(codeOf('{"type":"signal","from":"p","data":1}')).toBe('INVALID_FRAME');
  });
});
