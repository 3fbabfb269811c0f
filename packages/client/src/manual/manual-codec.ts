/**
 * Copy/paste signaling: a complete (non-trickle) offer or answer as compact, URL-safe text, so two people
 * can connect with no server by pasting codes into a chat, a QR code or a link fragment.
 *
 * Layout: `SB1` + `O` (offer) or `A` (answer) + `.` + base64url(zlib(SDP as UTF-8)).
 * - zlib (RFC 1950) carries an Adler-32 of the SDP, so a mangled or truncated code fails the check instead
 *   of decoding into a broken description. SDP compresses to about half.
 * - The prefix versions the format and names the kind, so pasting an offer where an answer is expected
 *   gets a clear error.
 * - Whitespace and line breaks are ignored on decode (chat apps wrap long text), and a whole URL whose
 *   fragment is the code is accepted.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { strFromU8, strToU8, unzlibSync, zlibSync } from 'fflate';
import { fromBase64Url, toBase64Url } from '../base64-url.js';

/** A complete session description. */
export interface ManualDescription {
  readonly type: 'offer' | 'answer';
  readonly sdp: string;
}

const PREFIX = 'SB1';
const KIND_LETTER = { offer: 'O', answer: 'A' } as const;

/** Adler-32 (RFC 1950 §8.2). fflate's `unzlibSync` strips the trailer without checking it, so we do. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i += 5552) {
    const end = Math.min(i + 5552, bytes.length);
    for (let j = i; j < end; j++) {
      a += bytes[j] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function inflateChecked(packed: Uint8Array): Uint8Array {
  const raw = unzlibSync(packed);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.byteLength < 6 || view.getUint32(packed.byteLength - 4) !== adler32(raw))
    throw new Error('Adler-32 mismatch');
  return raw;
}

function invalid(message: string, cause?: unknown): SwitchboardError {
  return new SwitchboardError('MANUAL_CODE_INVALID', message, cause === undefined ? undefined : { cause });
}

/**
 * Encodes a complete description as copy/paste text.
 *
 * @example const code = encodeManualCode(pc.localDescription); // "SB1O.eNq..."
 */
export function encodeManualCode(description: ManualDescription): string {
  const type: string = description.type;
  if (type !== 'offer' && type !== 'answer') throw invalid('Only an offer or an answer can be encoded.');
  const packed = zlibSync(strToU8(description.sdp), { level: 9 });
  return `${PREFIX}${KIND_LETTER[description.type]}.${toBase64Url(packed)}`;
}

/**
 * Decodes copy/paste text. Throws `SwitchboardError('MANUAL_CODE_INVALID')` when the text is not a code,
 * is corrupted or truncated, or is not of `expectedType`.
 */
export function decodeManualCode(text: string, expectedType?: 'offer' | 'answer'): ManualDescription {
  const hashAt = text.lastIndexOf('#');
  const code = (hashAt >= 0 ? text.slice(hashAt + 1) : text).replace(/\s+/g, '');
  if (!code.startsWith(PREFIX) || code[PREFIX.length + 1] !== '.')
    throw invalid('This is not a Switchboard connection code.');
  const letter = code[PREFIX.length];
  const type = letter === 'O' ? 'offer' : letter === 'A' ? 'answer' : undefined;
  if (type === undefined) throw invalid('The connection code is of an unknown kind.');
  if (expectedType !== undefined && type !== expectedType) {
    throw invalid(`This is an ${type} code, but an ${expectedType} code was expected.`);
  }
  let sdp: string;
  try {
    sdp = strFromU8(inflateChecked(fromBase64Url(code.slice(PREFIX.length + 2))));
  } catch (error) {
    throw invalid('The connection code is corrupted or incomplete.', error);
  }
  if (!sdp.startsWith('v=0')) throw invalid('The connection code does not contain a session description.');
  return { type, sdp };
}
