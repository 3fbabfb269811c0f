/**
 * Where a received file goes. The receiver writes each chunk as it arrives and awaits the write, so a Node
 * receiver streams to disk (see `fileSinkToPath`) and memory stays bounded by the sender's window.
 */

/** A destination for received bytes. */
export interface FileSink {
  /** Writes the next chunk; the transfer waits for the returned promise. */
  write(chunk: Uint8Array): Promise<void> | void;
  /** Called once after the last chunk, when the hash matched. */
  close(): Promise<void> | void;
  /** Called when the transfer failed or was cancelled; discard what was written. */
  abort(reason: unknown): Promise<void> | void;
}

/** A sink that collects the file into a Blob (the browser default; fine for files that fit in memory). */
export interface BlobFileSink extends FileSink {
  /** The received file, after `close()`. */
  readonly blob: Blob | undefined;
}

/** Collects the file into a Blob of type `mimeType`. */
export function blobFileSink(mimeType = 'application/octet-stream'): BlobFileSink {
  let parts: Uint8Array<ArrayBuffer>[] = [];
  let blob: Blob | undefined;
  return {
    get blob() {
      return blob;
    },
    write(chunk) {
      parts.push(chunk.slice());
    },
    close() {
      blob = new Blob(parts, { type: mimeType });
      parts = [];
    },
    abort() {
      parts = [];
    },
  };
}

/** The subset of a WHATWG `WritableStream` used by `fileSinkFromWritableStream`. */
export function fileSinkFromWritableStream(stream: WritableStream<Uint8Array>): FileSink {
  const writer = stream.getWriter();
  return {
    write: (chunk) => writer.write(chunk),
    close: () => writer.close(),
    abort: (reason) => writer.abort(reason),
  };
}
