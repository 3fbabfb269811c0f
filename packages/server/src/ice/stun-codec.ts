/**
 * A small, pure STUN message codec (RFC 8489). It parses and builds the 20-byte header and the TLV
 * attributes, and computes MESSAGE-INTEGRITY (HMAC-SHA1, §14.5) and FINGERPRINT (CRC-32 ^ 0x5354554e,
 * §14.7). Address attributes live in `stun-address.ts`. No I/O: the STUN server and the tests share it.
 *
 * Invariants of a decoded message: the top two bits are zero, the magic cookie is 0x2112A442, the length
 * is a multiple of 4 and matches the datagram, every attribute fits, and a FINGERPRINT, when present, is
 * last and correct. Anything else decodes to `null`, so callers drop it silently (§6.3).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** The fixed magic cookie that tells STUN from other protocols on a shared port (RFC 8489 §5). */
export const STUN_MAGIC_COOKIE = 0x2112a442;
/** Size of the STUN header in bytes. */
export const STUN_HEADER_BYTES = 20;
/** Size of the transaction id in bytes (96 bits). */
export const STUN_TRANSACTION_ID_BYTES = 12;
/** XOR value for FINGERPRINT: the ASCII "STUN" (RFC 8489 §14.7). */
export const STUN_FINGERPRINT_XOR = 0x5354554e;

/** STUN methods this code knows by name (RFC 8489 §18.2, RFC 8656 §17 for TURN). */
export const StunMethod = { BINDING: 0x001, ALLOCATE: 0x003, REFRESH: 0x004 } as const;

/** Attribute types (RFC 8489 §18.3, RFC 8445 §16.1 for ICE, RFC 8656 §18 for TURN). */
export const StunAttr = {
  MAPPED_ADDRESS: 0x0001,
  CHANGE_REQUEST: 0x0003,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  LIFETIME: 0x000d,
  XOR_RELAYED_ADDRESS: 0x0016,
  REALM: 0x0014,
  NONCE: 0x0015,
  REQUESTED_TRANSPORT: 0x0019,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  PASSWORD_ALGORITHMS: 0x8002,
  ALTERNATE_DOMAIN: 0x8003,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

/** The four message classes (RFC 8489 §5). */
export type StunClass = 'request' | 'indication' | 'success' | 'error';

const CLASS_BITS: Record<StunClass, number> = { request: 0b00, indication: 0b01, success: 0b10, error: 0b11 };
const CLASSES: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

/** One attribute as it appears on the wire; `value` is unpadded. */
export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
}

/** A decoded STUN message. Attributes that follow MESSAGE-INTEGRITY (except FINGERPRINT) are dropped (§14.5). */
export interface StunMessage {
  readonly method: number;
  readonly messageClass: StunClass;
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
  /** Byte offset of the MESSAGE-INTEGRITY attribute header, or -1 when there is none. */
  readonly integrityOffset: number;
  /** The datagram the message was decoded from. */
  readonly raw: Uint8Array;
}

/** What `encodeStunMessage` builds. */
export interface StunMessageInit {
  readonly method: number;
  readonly messageClass: StunClass;
  /** 12 bytes; a response copies the request's. */
  readonly transactionId: Uint8Array;
  /** Attributes in order, values unpadded. @default [] */
  readonly attributes?: readonly StunAttribute[];
  /** Append MESSAGE-INTEGRITY keyed with this (short-term: the password; long-term: MD5(user:realm:pass)). */
  readonly integrityKey?: Uint8Array | string;
  /** Append FINGERPRINT as the last attribute. @default false */
  readonly fingerprint?: boolean;
  /**
   * Byte used to pad attribute values to 4 bytes. RFC 8489 §14 says send zeros; RFC 5769's vectors pad
   * with 0x20 to prove that receivers ignore padding, so the tests set it to reproduce them exactly.
   * @default 0
   */
  readonly paddingByte?: number;
}

/** Combine method and class into the 14-bit message type (RFC 8489 §5, Figure 3). */
export function encodeMessageType(method: number, messageClass: StunClass): number {
  const c = CLASS_BITS[messageClass];
  return (
    (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
  );
}

/** Split a 14-bit message type into method and class. */
export function decodeMessageType(type: number): { method: number; messageClass: StunClass } {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const c = ((type >> 4) & 1) | ((type >> 7) & 2);
  return { method, messageClass: CLASSES[c] ?? 'request' };
}

/** Whether a type is comprehension-required (0x0000-0x7FFF, RFC 8489 §14). */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** Round up to the 4-byte attribute boundary. */
function padded(length: number): number {
  return (length + 3) & ~3;
}

/** The FINGERPRINT value of `bytes` (already carrying the final Length field). */
export function computeFingerprint(bytes: Uint8Array): number {
  return (crc32(bytes) ^ STUN_FINGERPRINT_XOR) >>> 0;
}

/** HMAC-SHA1 of `bytes` (already carrying the Length field as if MESSAGE-INTEGRITY were last). */
function hmacSha1(key: Uint8Array | string, bytes: Uint8Array): Buffer {
  return createHmac('sha1', key).update(bytes).digest();
}

/**
 * Decode one datagram. Returns `null` for anything that is not a well-formed STUN message, including a
 * wrong FINGERPRINT (§7.3: a message that fails the check is not STUN and is discarded).
 */
export function decodeStunMessage(packet: Uint8Array): StunMessage | null {
  if (packet.length < STUN_HEADER_BYTES) return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const type = view.getUint16(0);
  if ((type & 0xc000) !== 0) return null;
  const length = view.getUint16(2);
  if (length % 4 !== 0 || length !== packet.length - STUN_HEADER_BYTES) return null;
  if (view.getUint32(4) !== STUN_MAGIC_COOKIE) return null;

  const attributes: StunAttribute[] = [];
  let integrityOffset = -1;
  let offset = STUN_HEADER_BYTES;
  while (offset < packet.length) {
    if (offset + 4 > packet.length) return null;
    const attrType = view.getUint16(offset);
    const attrLength = view.getUint16(offset + 2);
    const next = offset + 4 + padded(attrLength);
    if (next > packet.length) return null;
    const value = packet.subarray(offset + 4, offset + 4 + attrLength);
    if (attrType === StunAttr.FINGERPRINT) {
      // §14.7: FINGERPRINT is the last attribute, 4 bytes, over everything before it.
      if (attrLength !== 4 || next !== packet.length) return null;
      if (view.getUint32(offset + 4) !== computeFingerprint(packet.subarray(0, offset))) return null;
      attributes.push({ type: attrType, value });
    } else if (integrityOffset === -1) {
      if (attrType === StunAttr.MESSAGE_INTEGRITY) {
        if (attrLength !== 20) return null;
        integrityOffset = offset;
      }
      attributes.push({ type: attrType, value });
    } else if (attrType === StunAttr.MESSAGE_INTEGRITY_SHA256) {
      attributes.push({ type: attrType, value });
    }
    offset = next;
  }
  const { method, messageClass } = decodeMessageType(type);
  return {
    method,
    messageClass,
    transactionId: packet.subarray(8, STUN_HEADER_BYTES),
    attributes,
    integrityOffset,
    raw: packet,
  };
}

/** The first attribute of a type, or `undefined`. */
export function findAttribute(message: StunMessage, type: number): Uint8Array | undefined {
  return message.attributes.find((attribute) => attribute.type === type)?.value;
}

/**
 * Check MESSAGE-INTEGRITY (§14.5): HMAC-SHA1 over the message up to the attribute, with the header Length
 * set as if MESSAGE-INTEGRITY were the last attribute. `false` when absent or wrong.
 */
export function verifyMessageIntegrity(message: StunMessage, key: Uint8Array | string): boolean {
  const at = message.integrityOffset;
  if (at === -1) return false;
  const covered = Buffer.from(message.raw.subarray(0, at));
  covered.writeUInt16BE(at + 24 - STUN_HEADER_BYTES, 2);
  const expected = hmacSha1(key, covered);
  return timingSafeEqual(expected, message.raw.subarray(at + 4, at + 24));
}

/** Build a STUN message, with MESSAGE-INTEGRITY and FINGERPRINT appended when asked. */
export function encodeStunMessage(init: StunMessageInit): Buffer {
  if (init.transactionId.length !== STUN_TRANSACTION_ID_BYTES) {
    throw new RangeError(
      `a STUN transaction id is ${STUN_TRANSACTION_ID_BYTES} bytes, got ${init.transactionId.length}`,
    );
  }
  const attributes = init.attributes ?? [];
  const hasIntegrity = init.integrityKey !== undefined;
  const hasFingerprint = init.fingerprint === true;
  let bodyLength = 0;
  for (const attribute of attributes) bodyLength += 4 + padded(attribute.value.length);
  const total = STUN_HEADER_BYTES + bodyLength + (hasIntegrity ? 24 : 0) + (hasFingerprint ? 8 : 0);
  const out = Buffer.alloc(total, init.paddingByte ?? 0);

  out.writeUInt16BE(encodeMessageType(init.method, init.messageClass), 0);
  out.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  out.set(init.transactionId, 8);
  let offset = STUN_HEADER_BYTES;
  for (const attribute of attributes) {
    if (attribute.value.length > 0xffff)
      throw new RangeError(`STUN attribute 0x${attribute.type.toString(16)} is too long`);
    out.writeUInt16BE(attribute.type, offset);
    out.writeUInt16BE(attribute.value.length, offset + 2);
    out.set(attribute.value, offset + 4);
    offset += 4 + padded(attribute.value.length);
  }
  if (init.integrityKey !== undefined) {
    out.writeUInt16BE(offset + 24 - STUN_HEADER_BYTES, 2);
    const mac = hmacSha1(init.integrityKey, out.subarray(0, offset));
    out.writeUInt16BE(StunAttr.MESSAGE_INTEGRITY, offset);
    out.writeUInt16BE(20, offset + 2);
    out.set(mac, offset + 4);
    offset += 24;
  }
  if (hasFingerprint) {
    out.writeUInt16BE(offset + 8 - STUN_HEADER_BYTES, 2);
    const value = computeFingerprint(out.subarray(0, offset));
    out.writeUInt16BE(StunAttr.FINGERPRINT, offset);
    out.writeUInt16BE(4, offset + 2);
    out.writeUInt32BE(value, offset + 4);
    offset += 8;
  }
  out.writeUInt16BE(offset - STUN_HEADER_BYTES, 2);
  return out;
}

/** ERROR-CODE value (§14.8): 21 zero bits, the class (hundreds) in 3 bits, the number (0-99), a reason. */
export function encodeErrorCode(code: number, reason: string): Uint8Array {
  if (!Number.isInteger(code) || code < 300 || code > 699)
    throw new RangeError(`STUN error codes are 300-699, got ${code}`);
  const text = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + text.length);
  value[2] = Math.floor(code / 100);
  value[3] = code % 100;
  value.set(text, 4);
  return value;
}

/** Decode an ERROR-CODE value, or `null` when it is malformed. */
export function decodeErrorCode(value: Uint8Array): { code: number; reason: string } | null {
  if (value.length < 4) return null;
  const hundreds = (value[2] ?? 0) & 0x07;
  const number = value[3] ?? 0;
  if (hundreds < 3 || hundreds > 6 || number > 99) return null;
  return { code: hundreds * 100 + number, reason: Buffer.from(value.subarray(4)).toString('utf8') };
}

/** UNKNOWN-ATTRIBUTES value (§14.9): a list of 16-bit types. */
export function encodeUnknownAttributes(types: readonly number[]): Uint8Array {
  const value = Buffer.alloc(types.length * 2);
  types.forEach((type, i) => value.writeUInt16BE(type, i * 2));
  return value;
}

/** Decode an UNKNOWN-ATTRIBUTES value. */
export function decodeUnknownAttributes(value: Uint8Array): number[] {
  const types: number[] = [];
  for (let i = 0; i + 1 < value.length; i += 2) types.push(((value[i] ?? 0) << 8) | (value[i + 1] ?? 0));
  return types;
}

/**
 * The comprehension-required attribute types in `message` that are not in `known`, each listed once
 * (§6.3.1: a request carrying any gets a 420 naming them all).
 */
export function findUnknownRequiredAttributes(message: StunMessage, known: ReadonlySet<number>): number[] {
  const unknown: number[] = [];
  for (const { type } of message.attributes) {
    if (isComprehensionRequired(type) && !known.has(type) && !unknown.includes(type)) unknown.push(type);
  }
  return unknown;
}
