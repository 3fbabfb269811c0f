import { describe, expect, it } from 'vitest';
import { fileSourceFromBlob, fileSourceFromStream } from './file-source.js';

const collect = async (chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> => {
  const list: Uint8Array[] = [];
  for await (const chunk of chunks) list.push(chunk.slice());
  return list;
};

describe('fileSourceFromBlob', () => {
  it('yields the whole Blob in order, in chunks of exactly chunkBytes but the last', async () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251);
    const source = fileSourceFromBlob(new Blob([bytes.subarray(0, 30_000), bytes.subarray(30_000)]), 'a.bin');
    const chunks = await collect(source.chunks(16_384));
    expect(chunks.map((c) => c.byteLength)).toEqual([...Array<number>(6).fill(16_384), 100_000 - 6 * 16_384]);
    expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
    expect(source).toMatchObject({ name: 'a.bin', size: 100_000 });
  });

  it('reads into one buffer: the chunk before is handed back to the stream once the next is asked for', async () => {
    const source = fileSourceFromBlob(new Blob([new Uint8Array(50_000).fill(7)]));
    const seen: Uint8Array[] = [];
    for await (const chunk of source.chunks(16_384)) {
      expect(chunk.every((byte) => byte === 7)).toBe(true);
      seen.push(chunk);
    }
    expect(seen.map((c) => c.byteLength)).toEqual([0, 0, 0, 50_000 - 3 * 16_384]);
  });

  it('re-cuts into one reused buffer where the stream is not a byte stream', async () => {
    const bytes = Uint8Array.from({ length: 40_000 }, (_, i) => i % 253);
    // A Blob whose stream() is a plain ReadableStream (no BYOB reader), in pieces that straddle chunks.
    const plain = {
      size: bytes.byteLength,
      type: '',
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < bytes.byteLength; at += 7_000)
              controller.enqueue(bytes.slice(at, at + 7_000));
            controller.close();
          },
        }),
    } as unknown as Blob;
    const copies: Uint8Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of fileSourceFromBlob(plain, 'p.bin').chunks(16_384)) {
      copies.push(chunk.slice());
      buffers.add(chunk.buffer);
    }
    expect(copies.map((c) => c.byteLength)).toEqual([16_384, 16_384, 40_000 - 2 * 16_384]);
    expect(Buffer.concat(copies).equals(Buffer.from(bytes))).toBe(true);
    expect(buffers.size).toBe(1);
  });

  it('yields nothing for an empty Blob', async () => {
    expect(await collect(fileSourceFromBlob(new Blob([])).chunks(1024))).toEqual([]);
  });
});

describe('fileSourceFromStream', () => {
  it('cancels a stream (one without async iteration) when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(1000)),
      cancel: () => {
        cancelled = true;
      },
    });
    // Only getReader(): the path runtimes without ReadableStream async iteration (Safari) take.
    const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    for await (const chunk of fileSourceFromStream(readerOnly, { name: 's', size: 10_000 }).chunks(1000)) {
      expect(chunk.byteLength).toBe(1000);
      break;
    }
    expect(cancelled).toBe(true);
  });
});
