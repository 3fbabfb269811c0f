/**
 * The one place where untrusted input becomes a typed `ClientMessage`.
 *
 * Order of checks is part of the contract (PROTOCOL.md §Errors): size first (before any parsing work),
 * then UTF-8 and JSON, then the envelope (`type`), then the schema of that type. Each failure maps to one
 * stable code, and carries `ref` when the frame had a usable request id, so the client can fail the
 * right promise.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import type { ErrorCode } from './error-codes.js';
import type { ClientMessage } from './messages.js';
import { findJsonValueSpan } from './json-value-span.js';
import { RawJson } from './raw-json.js';
import { scanSignalFrame } from './scan-signal-frame.js';
import { CLIENT_MESSAGE_SCHEMAS } from './schemas.js';

/** Default cap for one frame, in bytes (64 KiB): room for a large non-trickle SDP with margin. */
export const DEFAULT_MAX_FRAME_BYTES = 65_536;
/**
 * Deepest nesting of objects and arrays in a frame. A 64 KiB frame can nest about 32,000 levels, which
 * parses fine but overflows the stack when the server serializes the signal again to relay it (found by
 * decode-client-message.fuzz.test.ts). Real signals (SDP, candidates, call control) nest 2 to 4 levels.
 */
export const MAX_NESTING_DEPTH = 64;

/** The outcome of decoding one frame. */
export type DecodeResult<T> =
  | { readonly ok: true; readonly message: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string; readonly ref?: number };

/** How `decodeClientMessage` hands over what it decoded. */
export interface DecodeOptions {
  /**
   * Give a signal's `data` as a `RawJson` (the exact text the client sent, checked to be JSON) instead of the
   * parsed value. The server's relay never reads `data`, so it forwards the text: no parse, no serialisation.
   * @default false
   */
  readonly rawSignalData?: boolean;
}

let checks: Map<string, TypeCheck<TSchema>> | undefined;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** Compiled lazily so that importing the protocol (e.g. in the browser SDK) costs nothing. */
function compiledChecks(): Map<string, TypeCheck<TSchema>> {
  if (checks === undefined) {
    checks = new Map();
    for (const [type, schema] of Object.entries(CLIENT_MESSAGE_SCHEMAS)) {
      checks.set(type, TypeCompiler.Compile(schema));
    }
  }
  return checks;
}

function fail(code: ErrorCode, message: string, ref?: unknown): DecodeResult<never> {
  return typeof ref === 'number' && Number.isSafeInteger(ref) && ref > 0
    ? { ok: false, code, message, ref }
    : { ok: false, code, message };
}

/**
 * Decode and validate one client frame.
 *
 * @param frame the WebSocket message: text, or the raw bytes of a text frame
 * @param maxFrameBytes frames longer than this are refused before they are parsed
 * @param options `rawSignalData`: keep a signal's `data` as its text (see `DecodeOptions`)
 * @example
 * const r = decodeClientMessage(text);
 * if (!r.ok) send({ type: 'error', code: r.code, message: r.message, ref: r.ref });
 */
export function decodeClientMessage(
  frame: string | Uint8Array,
  maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES,
  options?: DecodeOptions,
): DecodeResult<ClientMessage> {
  let text: string;
  // Bytes decoded to as many characters are all ASCII: free to know here, and it spares the transport a
  // pass over each relayed signal (RawJson.isAscii).
  let isAscii = false;
  if (typeof frame === 'string') {
    // A JS string needs at most 3 UTF-8 bytes per UTF-16 unit; only measure exactly when that bound is over.
    if (frame.length * 3 > maxFrameBytes && encoder.encode(frame).byteLength > maxFrameBytes) {
      return fail('FRAME_TOO_LARGE', `frame exceeds ${maxFrameBytes} bytes`);
    }
    text = frame;
  } else {
    if (frame.byteLength > maxFrameBytes)
      return fail('FRAME_TOO_LARGE', `frame exceeds ${maxFrameBytes} bytes`);
    try {
      text = utf8.decode(frame);
    } catch {
      return fail('INVALID_FRAME', 'frame is not valid UTF-8 text');
    }
    isAscii = text.length === frame.byteLength;
  }

  const isRaw = options?.rawSignalData === true;
  // Most frames are signals: raw, their envelope is read without parsing `data` (scan-signal-frame.ts).
  // A frame the fast path is unsure of goes the general way below, which owns every error code and
  // message. (Without `rawSignalData` one JSON.parse of the whole frame is cheaper than scan plus parse.)
  const scan = isRaw ? scanSignalFrame(text, MAX_NESTING_DEPTH) : undefined;
  if (scan !== undefined) {
    const data = new RawJson(text.slice(scan.dataStart, scan.dataEnd), isAscii);
    const message: ClientMessage =
      scan.ack === undefined
        ? { type: 'signal', id: scan.id, to: scan.to, data }
        : { type: 'signal', id: scan.id, to: scan.to, data, ack: scan.ack };
    return { ok: true, message };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('INVALID_JSON', 'frame is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('INVALID_FRAME', 'frame must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const type = record['type'];
  const ref = record['id'];
  if (typeof type !== 'string') return fail('INVALID_FRAME', 'frame must have a string `type`', ref);
  // A raw signal's frame is scanned once for both the depth and the text of `data`; others are walked.
  const span = type === 'signal' && isRaw ? findJsonValueSpan(text, 'data') : undefined;
  if (span === undefined ? isNestedDeeperThan(value, MAX_NESTING_DEPTH) : span.depth > MAX_NESTING_DEPTH) {
    return fail(
      'INVALID_FRAME',
      `frame nests objects or arrays deeper than ${MAX_NESTING_DEPTH} levels`,
      ref,
    );
  }
  const check = Object.hasOwn(CLIENT_MESSAGE_SCHEMAS, type) ? compiledChecks().get(type) : undefined;
  if (check === undefined)
    return fail('UNKNOWN_TYPE', `unknown message type ${JSON.stringify(type.slice(0, 40))}`, ref);
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where =
      first === undefined || first.path === '' ? 'frame' : `\`${first.path.slice(1).replaceAll('/', '.')}\``;
    return fail('INVALID_FRAME', `${type}: ${where} ${first?.message.toLowerCase() ?? 'is invalid'}`, ref);
  }
  if (span === undefined || span.start < 0) return { ok: true, message: value as ClientMessage };
  return {
    ok: true,
    message: { ...record, data: new RawJson(text.slice(span.start, span.end), isAscii) } as ClientMessage,
  };
}

/** Whether `value` nests objects/arrays more than `levels` deep; recursion is bounded by `levels`. */
function isNestedDeeperThan(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value);
  for (const child of children) if (isNestedDeeperThan(child, levels - 1)) return true;
  return false;
}
