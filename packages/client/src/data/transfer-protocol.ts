/**
 * Control messages of a file transfer. A transfer has its own data channel, labelled `sbf:<id>`, so that
 * several transfers run at once and chat on other channels never waits behind a file. On that channel text
 * messages are control (JSON below) and binary messages are file bytes, in order.
 *
 *   sender -> receiver   meta { name, size, mime, h? }    first message; `h: 1` = can hash per chunk
 *   receiver -> sender   accept { h? } | cancel           the receiver decides; `h: 1` when both can
 *   sender -> receiver   <bytes>...                       chunks of at most the SCTP max message size
 *   receiver -> sender   ack { n }                        bytes written so far; the sender keeps at most
 *                                                         `windowBytes` unacknowledged, so a slow disk
 *                                                         cannot make the receiver buffer the file in memory
 *   sender -> receiver   end { sha256 }                   hex digest: with `h` on both meta and accept, the
 *                                                         SHA-256 of the messages' SHA-256 digests, in
 *                                                         order; else of the whole file (transfer-hash.ts)
 *   receiver -> sender   done | error { code }            HASH_MISMATCH or TRANSFER_FAILED (also mid-way,
 *                                                         when writing to the sink failed)
 *   either side          cancel                           TRANSFER_CANCELLED on the other side
 *   the other side       cancel                           the answer to a cancel or error: it has stopped
 *                                                         sending, and the side that stopped first closes
 *                                                         the channel when it reads the answer, so no
 *                                                         stream is reset with data in flight
 *                                                         (transfer-ending.ts, ADR 0014)
 */

/** Label prefix of transfer channels. */
export const TRANSFER_LABEL_PREFIX = 'sbf:';

/** One control message. */
export type TransferControl =
  | {
      readonly t: 'meta';
      readonly name: string;
      readonly size: number;
      readonly mime: string;
      readonly h?: 1;
    }
  | { readonly t: 'accept'; readonly h?: 1 }
  | { readonly t: 'ack'; readonly n: number }
  | { readonly t: 'end'; readonly sha256: string }
  | { readonly t: 'done' }
  | { readonly t: 'error'; readonly code: 'HASH_MISMATCH' | 'TRANSFER_FAILED' }
  | { readonly t: 'cancel' };

/** Parses an untrusted control message; `undefined` when malformed. */
export function parseTransferControl(text: string): TransferControl | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  switch (m['t']) {
    case 'meta':
      if (typeof m['name'] !== 'string' || typeof m['mime'] !== 'string') return undefined;
      if (typeof m['size'] !== 'number' || !Number.isSafeInteger(m['size']) || m['size'] < 0)
        return undefined;
      return m['h'] === 1
        ? { t: 'meta', name: m['name'], size: m['size'], mime: m['mime'], h: 1 }
        : { t: 'meta', name: m['name'], size: m['size'], mime: m['mime'] };
    case 'accept':
      return m['h'] === 1 ? { t: 'accept', h: 1 } : { t: 'accept' };
    case 'ack':
      return typeof m['n'] === 'number' && m['n'] >= 0 ? { t: 'ack', n: m['n'] } : undefined;
    case 'end':
      return typeof m['sha256'] === 'string' && /^[0-9a-f]{64}$/.test(m['sha256'])
        ? { t: 'end', sha256: m['sha256'] }
        : undefined;
    case 'error':
      return m['code'] === 'HASH_MISMATCH' || m['code'] === 'TRANSFER_FAILED'
        ? { t: 'error', code: m['code'] }
        : undefined;
    case 'done':
    case 'cancel':
      return { t: m['t'] };
    default:
      return undefined;
  }
}

/** Serialises a control message. */
export function encodeTransferControl(message: TransferControl): string {
  return JSON.stringify(message);
}

/** Progress of a transfer, reported on both sides. `bytes` only ever grows. */
export interface TransferProgress {
  readonly bytes: number;
  readonly totalBytes: number;
}

/**
 * Chunk size for a link: the SCTP maximum message size, at least 16 KiB when unknown (the size every
 * implementation accepts) and at most 256 KiB (larger messages block other channels on the association for
 * longer, and gain nothing in throughput). Between two Chromium pages `sctp.maxMessageSize` is exactly
 * 256 KiB; 64 KiB messages, the bare loop's, measured the same throughput and CPU per MiB there (issue 7).
 */
export function transferChunkBytes(maxMessageSize: number | undefined): number {
  const fallback = 16 * 1024;
  if (maxMessageSize === undefined || !Number.isFinite(maxMessageSize) || maxMessageSize <= 0)
    return fallback;
  return Math.min(maxMessageSize, 256 * 1024);
}
