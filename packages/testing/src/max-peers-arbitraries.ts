/**
 * fast-check arbitraries for a join's `maxPeers` (the room cap an app asks for, ADR 0006): the values the
 * decoder accepts and every way to get it wrong. Used by `validClientMessage` and `maxPeersJoinFrame`.
 */
import fc from 'fast-check';
import { DEFAULT_SERVER_OPTIONS } from '@switchboard/server';

/** The join's `maxPeers` range in the schema (schemas.ts `MaxPeers`); the server's own limit is lower. */
const MAX_PEERS_SCHEMA = { min: 1, max: 100_000 } as const;
const SERVER_LIMIT = DEFAULT_SERVER_OPTIONS.maxPeersPerRoom;
/**
 * `maxPeers` values the decoder accepts: most within the default server limit, some over it, which the
 * server refuses with INVALID_MAX_PEERS; the edges of both ranges come up often.
 */
export function validMaxPeers(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: MAX_PEERS_SCHEMA.min, max: SERVER_LIMIT }) },
    { weight: 2, arbitrary: fc.integer({ min: SERVER_LIMIT + 1, max: MAX_PEERS_SCHEMA.max }) },
    { weight: 1, arbitrary: fc.constantFrom(1, 2, SERVER_LIMIT, SERVER_LIMIT + 1, MAX_PEERS_SCHEMA.max) },
  );
}

/**
 * `maxPeers` as JSON text, of every kind: accepted by the decoder (within or over the server's limit) or
 * not (out of range, fractions, past 2^53, other JSON types). Some are spellings `JSON.stringify` never
 * makes: `6.0` and `1e2` are integers to the decoder, `1e400` parses to Infinity and `-0` to 0.
 */
export function maxPeersText(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: validMaxPeers().map(String) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.integer({ min: -1_000_000, max: MAX_PEERS_SCHEMA.min - 1 }),
          fc.integer({ min: MAX_PEERS_SCHEMA.max + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(0, -1, MAX_PEERS_SCHEMA.max + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 64),
        )
        .map(String),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.double({ min: 0, max: MAX_PEERS_SCHEMA.max, noNaN: true }).filter((n) => !Number.isInteger(n)),
          fc.constantFrom(2.5, 1.000_000_1, 1e21, 1e308, Number.MAX_VALUE, -Number.MAX_VALUE),
        )
        .map((n) => JSON.stringify(n)),
    },
    { weight: 1, arbitrary: fc.constantFrom('6.0', '1e2', '5E1', '1e400', '-1e400', '-0', '0.0') },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constantFrom(null, true, false, '6', '', [], {}, [6], { n: 6 }),
          fc.string({ maxLength: 8 }),
        )
        .map((value) => JSON.stringify(value)),
    },
  );
}
