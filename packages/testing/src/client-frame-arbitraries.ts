/**
 * fast-check arbitraries for client frames: valid messages of every type, and the ways an attacker or a
 * buggy client bends them (dropped and extra fields, swapped types, huge strings, deep nesting, broken
 * JSON and UTF-8, random bytes, binary frames, room caps out of range). Shared by the decoder fuzz test,
 * the live-server fuzz test and `npm run fuzz`, so all three explore the same space.
 */
import fc from 'fast-check';
import type { ClientMessage } from '@switchboard/protocol';
import { maxPeersText, validMaxPeers } from './max-peers-arbitraries.js';

/** One frame as a socket would carry it. */
export interface FuzzFrame {
  /** Text frames are strings; binary frames and raw byte soups are bytes. */
  readonly data: string | Uint8Array;
  readonly isBinary: boolean;
  /** Which generator made it, for failure reports and per-kind counts. */
  readonly kind: string;
}

const roomName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,12}$/);
const peerId = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
const requestId = fc.integer({ min: 1, max: 1_000_000 });
const seq = fc.nat({ max: 1_000_000 });
const nickname = fc.string({ minLength: 1, maxLength: 24 });
const smallJson = fc.jsonValue({ maxDepth: 3 });
const metadata = fc.record(
  {
    nickname,
    status: fc.constantFrom('available', 'busy', 'away'),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), smallJson, { maxKeys: 3 }),
  },
  { requiredKeys: ['nickname'] },
);

/**
 * Every valid client message, by type. `sessionId`/`to` are random, so against a live server most are
 * well-formed requests that the server must still refuse politely (unknown peer, unknown session).
 */
export function validClientMessage(): fc.Arbitrary<ClientMessage> {
  const v = fc.constant(1);
  return fc.oneof(
    fc.record(
      { type: fc.constant('hello' as const), v, token: fc.string({ maxLength: 40 }) },
      { requiredKeys: ['type', 'v'] },
    ),
    fc.record({
      type: fc.constant('resume' as const),
      v,
      sessionId: fc.string({ minLength: 1, maxLength: 40 }),
      resumeSecret: fc.string({ minLength: 1, maxLength: 60 }),
      lastSeq: seq,
    }),
    fc.record(
      {
        type: fc.constant('join' as const),
        id: requestId,
        room: roomName,
        metadata,
        maxPeers: validMaxPeers(),
        ack: seq,
      },
      { requiredKeys: ['type', 'id', 'room', 'metadata'] },
    ),
    fc.record({ type: fc.constant('leave' as const), id: requestId, room: roomName }),
    fc.record(
      {
        type: fc.constant('update' as const),
        id: requestId,
        room: roomName,
        metadata: fc.record(
          { nickname, status: fc.constantFrom('available', 'busy', 'away') },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['type', 'id', 'metadata'] },
    ),
    fc.record(
      { type: fc.constant('signal' as const), id: requestId, to: peerId, data: smallJson, ack: seq },
      { requiredKeys: ['type', 'id', 'to', 'data'] },
    ),
    fc.record({
      type: fc.constant('token' as const),
      id: requestId,
      token: fc.string({ minLength: 1, maxLength: 40 }),
    }),
    fc.record({ type: fc.constant('ack' as const), seq }),
    fc.record(
      { type: fc.constant('ping' as const), t: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      { requiredKeys: ['type'] },
    ),
  );
}

/** Values of every JSON type, to swap in where another type is expected. */
const anyJsonScalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
);

type Mutation = (message: Record<string, unknown>) => fc.Arbitrary<{ text: string; kind: string }>;

/** Depths: mostly shallow (cheap, near the 64-level cap), sometimes tens of thousands of levels. */
const nestingDepth = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 10, max: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 30_000 }) },
);

const mutations: readonly Mutation[] = [
  // Drop one field (often `type`, `id` or a required payload field).
  (m) =>
    fc.constantFrom(...Object.keys(m)).map((key) => {
      const copy = Object.fromEntries(Object.entries(m).filter(([name]) => name !== key));
      return { text: JSON.stringify(copy), kind: 'drop-field' };
    }),
  // Add a field the schema does not allow (e.g. a forged `from`).
  (m) =>
    fc
      .tuple(fc.constantFrom('from', 'seq', 'admin', '__proto__', 'constructor', 'x'), anyJsonScalar)
      .map(([key, value]) => ({
        text: JSON.stringify(m).replace(/}$/, `,${JSON.stringify(key)}:${JSON.stringify(value)}}`),
        kind: 'extra-field',
      })),
  // Swap a field's value for one of another type.
  (m) =>
    fc.tuple(fc.constantFrom(...Object.keys(m)), anyJsonScalar).map(([key, value]) => ({
      text: JSON.stringify({ ...m, [key]: value }),
      kind: 'type-swap',
    })),
  // Huge strings: just under, around and over the default 64 KiB frame cap.
  (m) =>
    fc
      .tuple(fc.constantFrom(...Object.keys(m)), fc.constantFrom(1_000, 60_000, 65_536, 70_000, 200_000))
      .map(([key, size]) => ({
        text: JSON.stringify({ ...m, [key]: 'x'.repeat(size) }),
        kind: 'huge-string',
      })),
  // Deep nesting: cheap to send, expensive to walk or re-serialize if nobody bounds it.
  (m) =>
    fc
      .tuple(fc.constantFrom(...Object.keys(m), 'data'), nestingDepth, fc.boolean())
      .map(([key, depth, isArray]) => {
        const [open, close] = isArray ? ['[', ']'] : ['{"a":', '}'];
        const text = JSON.stringify({ ...m, [key]: '\u0000NEST' }).replace(
          '"\\u0000NEST"',
          `${open.repeat(depth)}0${close.repeat(depth)}`,
        );
        return { text, kind: 'deep-nesting' };
      }),
  // Truncated or corrupted JSON text.
  (m) =>
    fc.tuple(fc.nat(), fc.constantFrom('', '"', '{', ',', '\\', '\u0000')).map(([cut, junk]) => {
      const text = JSON.stringify(m);
      return { text: text.slice(0, cut % text.length) + junk, kind: 'broken-json' };
    }),
];

/** Weights of `mutations`, in order: the heavy ones (huge strings, deep nesting) are rarer, so runs stay fast. */
const MUTATION_WEIGHTS = [4, 4, 4, 1, 2, 4];

/** A valid message, bent by one mutation. */
export function mutatedFrame(): fc.Arbitrary<FuzzFrame> {
  return validClientMessage()
    .chain((message) =>
      fc
        .oneof(
          ...mutations.map((mutate, index) => ({
            weight: MUTATION_WEIGHTS[index] ?? 1,
            arbitrary: fc.constant(mutate),
          })),
        )
        .chain((mutate) => mutate(message as unknown as Record<string, unknown>)),
    )
    .map(({ text, kind }) => ({ data: text, isBinary: false, kind }));
}

/**
 * Join frames whose `maxPeers` is any of `maxPeersText`. The nickname is a valid one, so the server's
 * answer comes from its `maxPeers` check (INVALID_FRAME from the decoder, INVALID_MAX_PEERS over the
 * server's limit) and not from the nickname check that runs before it.
 */
export function maxPeersJoinFrame(): fc.Arbitrary<FuzzFrame> {
  const validNickname = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _.'-]{0,15}$/);
  return fc.tuple(requestId, roomName, validNickname, maxPeersText()).map(([id, room, nick, maxPeers]) => {
    // `id` stays second: the live fuzzer rewrites it in the text, keeping the spelling of `maxPeers`.
    const head = JSON.stringify({ type: 'join', id, room, metadata: { nickname: nick } }).slice(0, -1);
    return { data: `${head},"maxPeers":${maxPeers}}`, isBinary: false, kind: 'max-peers' };
  });
}

/** Frames that are not messages at all. */
export function garbageFrame(): fc.Arbitrary<FuzzFrame> {
  const text = (data: string, kind: string): FuzzFrame => ({ data, isBinary: false, kind });
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 200 }).map((t) => text(t, 'random-text')) },
    {
      weight: 4,
      arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => text(JSON.stringify(value), 'random-json')),
    },
    {
      weight: 4,
      arbitrary: fc
        .string({ maxLength: 30 })
        .map((type) => text(JSON.stringify({ type, id: 1 }), 'unknown-type')),
    },
    {
      weight: 4,
      arbitrary: fc
        .uint8Array({ maxLength: 300 })
        .map((bytes) => ({ data: bytes, isBinary: true, kind: 'random-bytes' })),
    },
    // Valid JSON sent as a binary frame: must be refused as binary, not parsed.
    {
      weight: 4,
      arbitrary: validClientMessage().map((m) => ({
        data: new TextEncoder().encode(JSON.stringify(m)),
        isBinary: true,
        kind: 'binary-json',
      })),
    },
    // Invalid UTF-8 inside an otherwise plausible text frame (lone continuation bytes, overlongs). Rarer:
    // the socket library closes the connection for each one (RFC 6455 §8.1), which costs a reconnect.
    {
      weight: 1,
      arbitrary: fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff]).map((bad) => ({
        data: Uint8Array.from([
          ...new TextEncoder().encode('{"type":"ping","t":"'),
          ...bad,
          ...new TextEncoder().encode('"}'),
        ]),
        isBinary: false,
        kind: 'bad-utf8',
      })),
    },
  );
}

/**
 * The whole space the fuzzers draw from: mostly mutations of valid frames, some pure garbage, some valid,
 * and some joins with a good or bad room cap.
 */
export function fuzzFrame(): fc.Arbitrary<FuzzFrame> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedFrame() },
    { weight: 3, arbitrary: garbageFrame() },
    { weight: 1, arbitrary: maxPeersJoinFrame() },
    {
      weight: 1,
      arbitrary: validClientMessage().map((m) => ({
        data: JSON.stringify(m),
        isBinary: false,
        kind: 'valid',
      })),
    },
  );
}
