/**
 * Where a sent file comes from. A source yields the file in chunks so that the sender never holds a whole
 * large file in memory (peerjs #134): a Blob is sliced, a stream is read as it goes.
 */

/** A file to send. */
export interface FileSource {
  readonly name: string;
  /** Size in bytes; the receiver's progress and the end check use it. */
  readonly size: number;
  readonly mimeType: string;
  /** Yields the bytes in order, in chunks of at most `chunkBytes`. */
  chunks(chunkBytes: number): AsyncIterable<Uint8Array>;
}

/**
 * A Blob or File (browser; Node 20 has Blob too). Reads one slice at a time.
 *
 * @example link.sendFile(fileSourceFromBlob(input.files[0]))
 */
export function fileSourceFromBlob(blob: Blob, name?: string): FileSource {
  const fileName = name ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : 'file');
  return {
    name: fileName,
    size: blob.size,
    mimeType: blob.type,
    async *chunks(chunkBytes) {
      const read = (offset: number): Promise<ArrayBuffer> => {
        const reading = blob.slice(offset, offset + chunkBytes).arrayBuffer();
        // A read left behind when the consumer stops early must not surface as an unhandled rejection.
        reading.catch(() => undefined);
        return reading;
      };
      // One slice ahead: in a browser each Blob read is a round trip to the browser process, so the next
      // one runs while this chunk is hashed and sent.
      let next = blob.size > 0 ? read(0) : undefined;
      for (let offset = 0; next !== undefined; offset += chunkBytes) {
        const current = await next;
        next = offset + chunkBytes < blob.size ? read(offset + chunkBytes) : undefined;
        yield new Uint8Array(current);
      }
    },
  };
}

/** Describes a streamed file (its size must be known up front). */
export interface StreamFileInfo {
  readonly name: string;
  readonly size: number;
  /** @default 'application/octet-stream' */
  readonly mimeType?: string;
}

/**
 * Any async iterable of bytes (a Node `Readable`, e.g. `fs.createReadStream(path)`) or a WHATWG
 * `ReadableStream`. Chunks are re-cut to the link's chunk size.
 */
export function fileSourceFromStream(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
  info: StreamFileInfo,
): FileSource {
  return {
    name: info.name,
    size: info.size,
    mimeType: info.mimeType ?? 'application/octet-stream',
    chunks: (chunkBytes) => rechunk(toAsyncIterable(stream), chunkBytes),
  };
}

async function* toAsyncIterable(
  stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
): AsyncIterable<Uint8Array> {
  if (Symbol.asyncIterator in stream) {
    yield* stream;
    return;
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Re-cuts arbitrary chunks into chunks of exactly `chunkBytes` (the last may be shorter). */
export async function* rechunk(
  input: AsyncIterable<Uint8Array>,
  chunkBytes: number,
): AsyncIterable<Uint8Array> {
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  for await (const piece of input) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const take = Math.min(chunkBytes - filled, piece.byteLength - offset);
      buffer.set(piece.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === chunkBytes) {
        yield buffer;
        buffer = new Uint8Array(chunkBytes);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
