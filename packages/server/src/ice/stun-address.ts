/**
 * MAPPED-ADDRESS and XOR-MAPPED-ADDRESS values (RFC 8489 §14.1-14.2). The XOR form exists because some
 * NATs rewrote any 32-bit field that looked like their public address, breaking the plain form: the port
 * is XORed with the top 16 bits of the magic cookie, an IPv4 address with the cookie, and an IPv6 address
 * with the cookie followed by the transaction id.
 */
import { STUN_MAGIC_COOKIE, STUN_TRANSACTION_ID_BYTES } from './stun-codec.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, unmapIpv4 } from './ip-address-bytes.js';

/** A transport address as STUN reports it. */
export interface StunAddress {
  readonly family: 'IPv4' | 'IPv6';
  /** Text form: dotted quad, or RFC 5952 IPv6. */
  readonly address: string;
  readonly port: number;
}

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

/** Cookie followed by the transaction id: the IPv6 XOR mask. */
function xorMask(transactionId: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16);
  new DataView(mask.buffer).setUint32(0, STUN_MAGIC_COOKIE);
  mask.set(transactionId.subarray(0, STUN_TRANSACTION_ID_BYTES), 4);
  return mask;
}

/**
 * Turn a socket's view of a peer (`rinfo.address`) into a STUN address. An IPv4-mapped IPv6 address from
 * a dual-stack socket becomes plain IPv4, because that is the address the client actually has.
 * Returns `null` for text that is not an IP address.
 */
export function toStunAddress(address: string, port: number): StunAddress | null {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) return null;
  const v4 = parseIpv4(address);
  if (v4 !== null) return { family: 'IPv4', address: formatIpv4(v4), port };
  const v6 = parseIpv6(address);
  if (v6 === null) return null;
  const unmapped = unmapIpv4(v6);
  if (unmapped !== null) return { family: 'IPv4', address: formatIpv4(unmapped), port };
  return { family: 'IPv6', address: formatIpv6(v6), port };
}

/** Address bytes for a STUN address (4 or 16). */
function addressBytes(address: StunAddress): Uint8Array {
  const bytes = address.family === 'IPv4' ? parseIpv4(address.address) : parseIpv6(address.address);
  if (bytes === null) throw new RangeError(`not an ${address.family} address: ${address.address}`);
  return bytes;
}

/** Encode an address value, XORed with `mask` (all zeros for the plain MAPPED-ADDRESS). */
function encodeAddress(address: StunAddress, portMask: number, mask: Uint8Array): Uint8Array {
  const bytes = addressBytes(address);
  const value = new Uint8Array(4 + bytes.length);
  const view = new DataView(value.buffer);
  view.setUint8(1, address.family === 'IPv4' ? FAMILY_IPV4 : FAMILY_IPV6);
  view.setUint16(2, address.port ^ portMask);
  for (let i = 0; i < bytes.length; i++) value[4 + i] = (bytes[i] ?? 0) ^ (mask[i] ?? 0);
  return value;
}

/** Decode an address value XORed with `mask`, or `null` when malformed. */
function decodeAddress(value: Uint8Array, portMask: number, mask: Uint8Array): StunAddress | null {
  if (value.length < 4) return null;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const family = view.getUint8(1);
  const size = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
  if (size === 0 || value.length !== 4 + size) return null;
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (value[4 + i] ?? 0) ^ (mask[i] ?? 0);
  const port = view.getUint16(2) ^ portMask;
  return size === 4
    ? { family: 'IPv4', address: formatIpv4(bytes), port }
    : { family: 'IPv6', address: formatIpv6(bytes), port };
}

/** XOR-MAPPED-ADDRESS value for `address` in the transaction `transactionId`. */
export function encodeXorAddress(address: StunAddress, transactionId: Uint8Array): Uint8Array {
  return encodeAddress(address, STUN_MAGIC_COOKIE >>> 16, xorMask(transactionId));
}

/** Decode an XOR-MAPPED-ADDRESS (or XOR-RELAYED-ADDRESS) value, or `null` when malformed. */
export function decodeXorAddress(value: Uint8Array, transactionId: Uint8Array): StunAddress | null {
  return decodeAddress(value, STUN_MAGIC_COOKIE >>> 16, xorMask(transactionId));
}

/** Plain MAPPED-ADDRESS value (legacy RFC 3489 clients). */
export function encodeMappedAddress(address: StunAddress): Uint8Array {
  return encodeAddress(address, 0, new Uint8Array(16));
}

/** Decode a plain MAPPED-ADDRESS value, or `null` when malformed. */
export function decodeMappedAddress(value: Uint8Array): StunAddress | null {
  return decodeAddress(value, 0, new Uint8Array(16));
}
