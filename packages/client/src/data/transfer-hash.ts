/**
 * The integrity check of a file transfer, in one of two forms both sides agree on (transfer-protocol.ts):
 *
 * - `'chunks'`: the SHA-256 of the concatenated SHA-256 digests of every data channel message, each computed
 *   with WebCrypto. WebCrypto hashes natively (about 5× faster than JavaScript here), and a transfer between
 *   two pages on one machine is CPU-bound: Chromium's per-packet path (the network service's socket thread,
 *   the renderer's SCTP/DTLS thread and the IPC between them) takes 80–100 ms of CPU per MiB over both
 *   browsers, and the hash shares those cores (ADR 0011). Chromium computes the digest on the calling thread
 *   (its `DoDigest` trace events sit in the main thread's tasks, about 0.2 ms per 256 KiB, 0.7 ms per MiB on
 *   each side), so the send loop keeps each task short (task-budget.ts, ADR 0018). A Worker would move that
 *   time, not remove it, and add a copy per message: a transfer with no hash at all measured no faster
 *   (issue 7). Message boundaries are the same on both sides (SCTP keeps them), so both compute the same list.
 * - `'file'`: the plain SHA-256 of the whole file, incrementally in JavaScript (@noble/hashes), for a peer
 *   that does not offer the chunk form (older SDKs) or a runtime without `crypto.subtle`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Which digest a transfer uses. */
export type TransferHashKind = 'chunks' | 'file';

/** An incremental digest over the messages of one transfer. */
export interface TransferHash {
  /** Adds one message's bytes, in order. The chunk form hashes natively; its result arrives later. */
  update(chunk: Uint8Array): void;
  /** The hex digest of everything added; rejects if the runtime's digest failed. */
  digestHex(): Promise<string>;
}

/** Whether this runtime can compute the `'chunks'` form (WebCrypto in browsers and Node 20). */
export function canHashChunks(): boolean {
  // Typed loosely on purpose: the DOM types promise `crypto.subtle`, but insecure origins and old runtimes lack it.
  const { crypto: webCrypto } = globalThis as { crypto?: { subtle?: { digest?: unknown } } };
  return typeof webCrypto?.subtle?.digest === 'function';
}

/** Creates the digest of the given kind. */
export function createTransferHash(kind: TransferHashKind): TransferHash {
  return kind === 'chunks' ? new ChunkListHash() : new WholeFileHash();
}

class WholeFileHash implements TransferHash {
  readonly #hash = sha256.create();

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }

  digestHex(): Promise<string> {
    return Promise.resolve(bytesToHex(this.#hash.digest()));
  }
}

class ChunkListHash implements TransferHash {
  readonly #digests: Promise<ArrayBuffer>[] = [];

  update(chunk: Uint8Array): void {
    // WebCrypto copies the bytes before it returns, so the caller may reuse or send the chunk at once.
    const digest = crypto.subtle.digest('SHA-256', chunk as Uint8Array<ArrayBuffer>);
    // Awaited in digestHex; until then a failure must not surface as an unhandled rejection.
    digest.catch(() => undefined);
    this.#digests.push(digest);
  }

  async digestHex(): Promise<string> {
    const digests = await Promise.all(this.#digests);
    const list = new Uint8Array(digests.length * 32);
    digests.forEach((digest, i) => list.set(new Uint8Array(digest), i * 32));
    return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', list)));
  }
}
