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
