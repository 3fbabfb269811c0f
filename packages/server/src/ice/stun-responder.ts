/**
 * What a STUN Binding server answers to one datagram (RFC 8489 §6.3), as a pure function so that it is
 * unit-tested without sockets and benchmarked without syscalls. The server in `stun-server.ts` only moves
 * bytes and counts outcomes.
 *
 * Rules, in order:
 * 1. Not well-formed STUN (bad header, length, attribute layout or FINGERPRINT) → dropped silently (§6.3).
 * 2. A success or error response (we never sent a request) → dropped.
 * 3. An indication (a Binding indication is a keepalive, §6.3.2) → no answer.
 * 4. A request carrying comprehension-required attributes we do not understand → 420 Unknown Attribute
 *    with UNKNOWN-ATTRIBUTES (§6.3.1.1).
 * 5. A request for another method → 400 Bad Request (we only serve Binding).
 * 6. A Binding request → success with XOR-MAPPED-ADDRESS (the source address as we see it) and FINGERPRINT,
 *    which ICE agents require (RFC 8445 §7.2.2). The answer is stateless, so a retransmitted request
 *    simply gets the same answer again (§6.3.1).
 */
import {
  StunAttr,
  StunMethod,
  decodeStunMessage,
  encodeErrorCode,
  encodeStunMessage,
  encodeUnknownAttributes,
  findUnknownRequiredAttributes,
  type StunAttribute,
} from './stun-codec.js';
import { encodeXorAddress, type StunAddress } from './stun-address.js';

/**
 * The comprehension-required attributes a Binding server may see and safely ignore: authentication
 * attributes (we serve Binding without credentials, which §9 allows), address attributes, and the ICE
 * attributes of connectivity checks. CHANGE-REQUEST (RFC 5780) is deliberately absent: we cannot answer
 * from another address, so the client must learn that through a 420.
 */
const UNDERSTOOD_ATTRIBUTES: ReadonlySet<number> = new Set([
  StunAttr.MAPPED_ADDRESS,
  StunAttr.USERNAME,
  StunAttr.MESSAGE_INTEGRITY,
  StunAttr.ERROR_CODE,
  StunAttr.UNKNOWN_ATTRIBUTES,
  StunAttr.REALM,
  StunAttr.NONCE,
  StunAttr.MESSAGE_INTEGRITY_SHA256,
  StunAttr.PASSWORD_ALGORITHM,
  StunAttr.USERHASH,
  StunAttr.XOR_MAPPED_ADDRESS,
  StunAttr.PRIORITY,
  StunAttr.USE_CANDIDATE,
]);

/** The outcome for one datagram. */
export type StunReply =
  | { readonly kind: 'success'; readonly response: Buffer }
  | { readonly kind: 'error'; readonly code: 400 | 420; readonly response: Buffer }
  | { readonly kind: 'indication' }
  | { readonly kind: 'dropped' };

/** Options for `respondToStun`. */
export interface StunResponderOptions {
  /** SOFTWARE attribute text for responses; omitted when undefined (it helps fingerprinting servers). @default undefined */
  readonly software?: string | undefined;
}

/** Decide the answer to one datagram that arrived from `source`. */
export function respondToStun(
  packet: Uint8Array,
  source: StunAddress,
  options: StunResponderOptions = {},
): StunReply {
  const request = decodeStunMessage(packet);
  if (request === null) return { kind: 'dropped' };
  if (request.messageClass === 'indication') return { kind: 'indication' };
  if (request.messageClass !== 'request') return { kind: 'dropped' };

  const software: StunAttribute[] =
    options.software === undefined
      ? []
      : [{ type: StunAttr.SOFTWARE, value: Buffer.from(options.software, 'utf8') }];
  const unknown = findUnknownRequiredAttributes(request, UNDERSTOOD_ATTRIBUTES);
  if (unknown.length > 0 || request.method !== StunMethod.BINDING) {
    const code = unknown.length > 0 ? 420 : 400;
    const attributes: StunAttribute[] = [
      {
        type: StunAttr.ERROR_CODE,
        value: encodeErrorCode(code, code === 420 ? 'Unknown Attribute' : 'Bad Request'),
      },
    ];
    if (code === 420)
      attributes.push({ type: StunAttr.UNKNOWN_ATTRIBUTES, value: encodeUnknownAttributes(unknown) });
    const response = encodeStunMessage({
      method: request.method,
      messageClass: 'error',
      transactionId: request.transactionId,
      attributes: [...attributes, ...software],
      fingerprint: true,
    });
    return { kind: 'error', code, response };
  }

  const response = encodeStunMessage({
    method: StunMethod.BINDING,
    messageClass: 'success',
    transactionId: request.transactionId,
    attributes: [
      { type: StunAttr.XOR_MAPPED_ADDRESS, value: encodeXorAddress(source, request.transactionId) },
      ...software,
    ],
    fingerprint: true,
  });
  return { kind: 'success', response };
}
