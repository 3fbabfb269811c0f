import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canHashChunks, createTransferHash } from './transfer-hash.js';
import { parseTransferControl } from './transfer-protocol.js';

const sha = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const chunks = [new Uint8Array(1000).fill(1), new Uint8Array(7).fill(2), new Uint8Array(300).fill(3)];

describe('createTransferHash', () => {
  it("'file' is the plain SHA-256 of the whole file, however it was cut", async () => {
    const hash = createTransferHash('file');
    for (const chunk of chunks) hash.update(chunk);
    expect(await hash.digestHex()).toBe(sha(...chunks).toString('hex'));
  });

  it("'chunks' is the SHA-256 of the messages' SHA-256 digests, in order", async () => {
    expect(canHashChunks()).toBe(true);
    const hash = createTransferHash('chunks');
    for (const chunk of chunks) hash.update(chunk);
    const list = Buffer.concat(chunks.map((chunk) => sha(chunk)));
    expect(await hash.digestHex()).toBe(sha(list).toString('hex'));
  });

  it("'chunks' tells apart files that differ in one byte or in their order", async () => {
    const digest = async (parts: Uint8Array[]): Promise<string> => {
      const hash = createTransferHash('chunks');
      for (const part of parts) hash.update(part);
      return hash.digestHex();
    };
    const flipped = chunks.map((chunk) => chunk.slice());
    flipped[1]![3] = 9;
    const base = await digest(chunks);
    expect(await digest(flipped)).not.toBe(base);
    expect(await digest([chunks[1]!, chunks[0]!, chunks[2]!])).not.toBe(base);
  });

  it('is unaffected by the caller reusing a chunk right after update', async () => {
    const buffer = new Uint8Array(64).fill(5);
    const hash = createTransferHash('chunks');
    hash.update(buffer);
    buffer.fill(6);
    expect(await hash.digestHex()).toBe(sha(sha(new Uint8Array(64).fill(5))).toString('hex'));
  });
});

describe('transfer control: the chunk-hash offer', () => {
  it('reads h: 1 on meta and accept, and nothing else as an offer', () => {
    expect(parseTransferControl('{"t":"meta","name":"a","size":1,"mime":"","h":1}')).toEqual({
      t: 'meta',
      name: 'a',
      size: 1,
      mime: '',
      h: 1,
    });
    expect(parseTransferControl('{"t":"accept","h":1}')).toEqual({ t: 'accept', h: 1 });
    expect(parseTransferControl('{"t":"accept","h":true}')).toEqual({ t: 'accept' });
  });
});
