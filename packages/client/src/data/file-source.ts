/**
 * Where a sent file comes from. A source yields the file in chunks so that the sender never holds a whole
 * large file in memory (peerjs #134): a Blob or a stream is read as it goes.
 */

/** A file to send. */
export interface FileSource {
  readonly name: string;
  /** Size in bytes; the receiver's progress and the end check use it. */
  readonly size: number;
  readonly mimeType: string;
  /**
   * Yields the bytes in order, in chunks of at most `chunkBytes`. The consumer is done with a chunk when it
   * asks for the next one: a source may then reuse or detach that chunk's memory (the built-in sources do,
   * so that a transfer does not allocate a new buffer per message).
   */
  chunks(chunkBytes: number): AsyncIterable<Uint8Array>;
}

/**
 * A Blob or File (browser; Node 20 has Blob too), read as a stream.
 *
 * Not `blob.slice(...).arrayBuffer()` per chunk: in Chromium every such read is a round trip to the browser
 * process that costs about 1 ms of main-thread time whatever the slice size (64 MiB in 256 KiB slices:
 * 190–260 ms on the main thread). `blob.stream()` is read with a BYOB reader into one chunk-sized buffer
 * where the runtime allows it (Chromium, Node): the default reader hands out a new ArrayBuffer of up to
 * 2 MiB per piece, and re-cutting those into new chunk buffers cost 100–220 ms of main-thread time per
 * 64 MiB in Chromium (fresh memory is zeroed and faulted in), with single calls of up to 33 ms; the BYOB
 * read costs 9–11 ms with none above 2.2 ms (issue 7).
 *
 * @example link.sendFile(fileSourceFromBlob(input.files[0]))
 */
export function fileSourceFromBlob(blob: Blob, name?: string): FileSource {
  const fileName = name ?? ('name' in blob && typeof blob.name === 'string' ? blob.name : 'file');
  return {
    name: fileName,
    size: blob.size,
    mimeType: blob.type,
    chunks: (chunkBytes) => readBlob(blob, chunkBytes),
  };
}

/** Reads `blob` in chunks of exactly `chunkBytes` (the last may be shorter), into one reused buffer. */
async function* readBlob(blob: Blob, chunkBytes: number): AsyncIterable<Uint8Array> {
  const stream = blob.stream();
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream in this runtime; getReader threw before locking the stream.
    yield* rechunk(toAsyncIterable(stream), chunkBytes);
    return;
  }
  // Each read transfers the buffer into the stream and back: the view it returns is the one to read into
  // next, and the chunk yielded before is detached by then (the consumer is done with it, FileSource).
  let buffer = new ArrayBuffer(chunkBytes);
  let isDone = false;
  try {
    while (!isDone) {
      let filled = 0;
      while (filled < chunkBytes) {
        const { done, value } = await reader.read(new Uint8Array(buffer, filled, chunkBytes - filled));
        if (value !== undefined) buffer = value.buffer;
        if (done) {
          isDone = true;
          break;
        }
        filled += value.byteLength;
      }
      if (filled > 0) yield new Uint8Array(buffer, 0, filled);
    }
  } finally {
    // A consumer that stops early (a cancelled transfer) cancels the read, as toAsyncIterable does.
    if (!isDone) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
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
  let isDone = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        isDone = true;
        return;
      }
      yield value;
    }
  } finally {
    // A consumer that stops early (a cancelled transfer) cancels the stream, so that its source stops
    // reading ahead and lets go of what it holds.
    if (!isDone) reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Re-cuts arbitrary chunks into chunks of exactly `chunkBytes` (the last may be shorter). Every chunk is the
 * same buffer, refilled once the consumer asks for the next (FileSource): in Chromium, 64 MiB re-cut into
 * new 256 KiB buffers took 45–195 ms of main-thread time (fresh memory is zeroed and faulted in, then
 * collected), into one reused buffer 1–2 ms. Views into the input's pieces would not save the copy: the
 * channel copies a view first (`sendRaw` in flow-controlled-data-channel.ts), into new memory again.
 */
export async function* rechunk(
  input: AsyncIterable<Uint8Array>,
  chunkBytes: number,
): AsyncIterable<Uint8Array> {
  const buffer = new Uint8Array(chunkBytes);
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
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
