/**
 * Property tests of the one function that turns untrusted bytes into typed messages. Whatever arrives,
 * the decoder must not throw, must answer with a documented code, and must never accept a frame that the
 * server could not handle afterwards (re-serialize to relay it, or decode again identically).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fuzzFrame,
  garbageFrame,
  maxPeersJoinFrame,
  mutatedFrame,
  validClientMessage,
} from '@switchboard/testing';
import { decodeClientMessage, DEFAULT_MAX_FRAME_BYTES } from './decode-client-message.js';
import { ERROR_CODES, isErrorCode } from './error-codes.js';
import { RawJson } from './raw-json.js';

/** Codes the decoder itself may produce: a fixed, documented subset. */
const DECODER_CODES = new Set(['INVALID_JSON', 'INVALID_FRAME', 'UNKNOWN_TYPE', 'FRAME_TOO_LARGE']);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3000);

function byteLength(data: string | Uint8Array): number {
  return typeof data === 'string' ? new TextEncoder().encode(data).byteLength : data.byteLength;
}

describe('decodeClientMessage under fuzzing', () => {
  it('decodes every valid message to an equal value', () => {
    fc.assert(
      fc.property(validClientMessage(), (message) => {
        const result = decodeClientMessage(JSON.stringify(message, undefined, 1));
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.message).toEqual(JSON.parse(JSON.stringify(message)));
        // The text the relay forwards for a signal means exactly the data that was decoded.
        const raw = decodeClientMessage(JSON.stringify(message, undefined, 1), DEFAULT_MAX_FRAME_BYTES, {
          rawSignalData: true,
        });
        if (result.ok && raw.ok && raw.message.type === 'signal') {
          expect(raw.message.data).toBeInstanceOf(RawJson);
          expect(JSON.parse(JSON.stringify(raw.message))).toEqual(result.message);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws, and answers every refused frame with a documented decoder code', () => {
    fc.assert(
      fc.property(fuzzFrame(), (frame) => {
        const result = decodeClientMessage(frame.data);
        if (result.ok) return;
        expect(isErrorCode(result.code)).toBe(true);
        expect(DECODER_CODES.has(result.code)).toBe(true);
        expect(ERROR_CODES[result.code].where).toBe('server');
        expect(typeof result.message).toBe('string');
        expect(result.message.length).toBeLessThan(300);
      }),
      { numRuns: RUNS },
    );
  });

  it('only accepts frames that re-serialize and decode again to the same message', () => {
    fc.assert(
      fc.property(fuzzFrame(), (frame) => {
        const result = decodeClientMessage(frame.data);
        if (!result.ok) return;
        // The relay serializes accepted data once more; a frame that cannot be serialized must not get in.
        const again = JSON.stringify(result.message);
        const second = decodeClientMessage(again);
        expect(second.ok).toBe(true);
        if (second.ok) expect(second.message).toEqual(result.message);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses every frame over the cap with FRAME_TOO_LARGE before parsing it', () => {
    fc.assert(
      fc.property(mutatedFrame(), fc.integer({ min: 1024, max: DEFAULT_MAX_FRAME_BYTES }), (frame, cap) => {
        const result = decodeClientMessage(frame.data, cap);
        if (byteLength(frame.data) > cap) expect(result.ok ? 'ok' : result.code).toBe('FRAME_TOO_LARGE');
      }),
      { numRuns: RUNS },
    );
  });

  it('carries a ref only when the frame had a usable request id', () => {
    fc.assert(
      fc.property(fuzzFrame(), (frame) => {
        const result = decodeClientMessage(frame.data);
        if (result.ok || result.ref === undefined) return;
        expect(Number.isSafeInteger(result.ref) && result.ref > 0).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('never accepts binary garbage or broken UTF-8', () => {
    fc.assert(
      fc.property(garbageFrame(), (frame) => {
        const result = decodeClientMessage(frame.data);
        if (frame.kind === 'bad-utf8') expect(result.ok ? 'ok' : result.code).toBe('INVALID_FRAME');
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts a join maxPeers only if it is an integer from 1 to 100,000, else refuses INVALID_FRAME', () => {
    fc.assert(
      fc.property(maxPeersJoinFrame(), (frame) => {
        // JSON.parse reads `1e400` as Infinity and `6.0` as 6, as the decoder does.
        const sent = JSON.parse(frame.data as string) as { id: number; maxPeers: unknown };
        const { maxPeers } = sent;
        const isValid =
          typeof maxPeers === 'number' && Number.isInteger(maxPeers) && maxPeers >= 1 && maxPeers <= 100_000;
        const result = decodeClientMessage(frame.data);
        if (isValid) {
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.message).toMatchObject({ type: 'join', maxPeers });
        } else {
          // INVALID_MAX_PEERS is the server's answer to a cap over its own limit; the decoder never gives it.
          expect(result).toMatchObject({ ok: false, code: 'INVALID_FRAME', ref: sent.id });
          if (!result.ok) expect(result.message).toContain('maxPeers');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses deeply nested values, which would overflow the stack when re-serialized', () => {
    for (const depth of [100, 10_000, 30_000]) {
      const nested = `${'['.repeat(depth)}0${']'.repeat(depth)}`;
      const result = decodeClientMessage(`{"type":"signal","id":1,"to":"p","data":${nested}}`);
      expect(result.ok ? 'ok' : result.code).toBe('INVALID_FRAME');
    }
    const shallow = decodeClientMessage(
      '{"type":"signal","id":1,"to":"p","data":{"sdp":{"type":"offer","sdp":"v=0"}}}',
    );
    expect(shallow.ok).toBe(true);
  });
});
