/**
 * The fast path must never be more permissive than `JSON.parse` plus the schema, and must read the same
 * values: these properties compare it with `JSON.parse` on valid, bent and broken frames.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedFrame } from '@switchboard/testing';
import { scanSignalFrame } from './scan-signal-frame.js';
import { skipJsonValue } from './skip-json-value.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 3000);

/** Whether `JSON.parse` accepts `text`. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON text, sometimes bent by one character inserted, replaced or removed. */
const jsonishText = fc
  .tuple(
    fc.jsonValue().map((value) => JSON.stringify(value, undefined, 1)),
    fc.nat(),
    fc.constantFrom('', '"', '\\', ',', ']', '}', '0', '-', '.', 'e', '\t', '\u0001', '\\u12', ' '),
    fc.boolean(),
  )
  .map(([text, at, junk, replace]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + junk + text.slice(replace ? i + 1 : i);
  });

describe('skipJsonValue', () => {
  it('accepts exactly what JSON.parse accepts (shallow values)', () => {
    fc.assert(
      fc.property(jsonishText, (text) => {
        expect(skipJsonValue(text, 0, 1000) === text.trimEnd().length).toBe(parses(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses values nested deeper than asked', () => {
    expect(skipJsonValue('[[[]]]', 0, 3)).toBe(6);
    expect(skipJsonValue('[[[]]]', 0, 2)).toBe(-1);
    expect(skipJsonValue('{"a":{"b":1}}', 0, 1)).toBe(-1);
  });

  it('is not misled by a call that stopped deep inside a value (the container stack is shared)', () => {
    expect(skipJsonValue('{"a":[{"b":[1,', 0, 64)).toBe(-1);
    expect(skipJsonValue('[1,{"c":2}]', 0, 64)).toBe(11);
    expect(skipJsonValue('[1,{"c":2]]', 0, 64)).toBe(-1);
    expect(skipJsonValue('{"d":[3]}', 0, 64)).toBe(9);
  });
});

describe('scanSignalFrame', () => {
  it('reads a frame with whitespace around every token as its compact form', () => {
    // Compact frames skip the whitespace scan (a test of the next character first): both forms must agree.
    const compact = '{"type":"signal","id":7,"to":"p-1","data":{"a":[1,"x",{}],"b":null},"ack":3}';
    const spaced =
      ' {\n "type" : "signal" ,\t"id" : 7 , "to" : "p-1" , "data" : { "a" : [ 1 , "x" , { } ] , "b" : null } , "ack" : 3 }\r\n';
    const a = scanSignalFrame(compact, 64);
    const b = scanSignalFrame(spaced, 64);
    expect(a).toMatchObject({ id: 7, to: 'p-1', ack: 3 });
    expect(b).toMatchObject({ id: 7, to: 'p-1', ack: 3 });
    expect(JSON.parse(spaced.slice(b?.dataStart, b?.dataEnd))).toEqual(
      JSON.parse(compact.slice(a?.dataStart, a?.dataEnd)),
    );
    expect(scanSignalFrame(`${compact} x`, 64)).toBeUndefined();
  });

  it('reads only frames that JSON.parse reads as the same signal', () => {
    const signalish = fc.oneof(
      mutatedFrame().map((frame) => String(frame.data)),
      fc
        .tuple(fc.jsonValue(), fc.integer({ min: -1, max: 5 }), jsonishText)
        .map(
          ([data, id, junk]) => `{"type":"signal","id":${id},"to":"p","data":${JSON.stringify(data)}${junk}}`,
        ),
    );
    fc.assert(
      fc.property(signalish, (text) => {
        const scan = scanSignalFrame(text, 64);
        if (scan === undefined) return;
        const data: unknown = JSON.parse(text.slice(scan.dataStart, scan.dataEnd));
        const expected =
          scan.ack === undefined
            ? { type: 'signal', id: scan.id, to: scan.to, data }
            : { type: 'signal', id: scan.id, to: scan.to, data, ack: scan.ack };
        expect(JSON.parse(text)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
