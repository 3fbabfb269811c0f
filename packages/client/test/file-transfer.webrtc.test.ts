/**
 * File transfer between two Node peers through the real server: streamed from disk to disk, verified by
 * SHA-256, with monotonic progress on both sides, bounded memory, cancel from either side, and chat on the
 * same link still flowing during a transfer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  blobFileSink,
  fileSinkToPath,
  fileSourceFromBlob,
  fileSourceFromPath,
  type IncomingFileTransfer,
  type PeerLink,
} from '@switchboard/client';
import { createNodePeer, startServer, type NodePeer, type StartedServer } from '@switchboard/testing';

let server: StartedServer;
let a: NodePeer;
let b: NodePeer;
let linkA: PeerLink;
let linkB: PeerLink;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-transfer-'));
  server = await startServer();
  a = await createNodePeer({ url: server.url, room: 'files', nickname: 'ada' });
  b = await createNodePeer({ url: server.url, room: 'files', nickname: 'bob' });
  linkA = a.peers.connect(b.peerId);
  const remote = new Promise<PeerLink>((resolve) => b.peers.once('link', resolve));
  await linkA.channel('chat').send('hello');
  linkB = await remote;
  await linkB.whenConnected();
});

afterAll(async () => {
  await a.close();
  await b.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const offered = (link: PeerLink): Promise<IncomingFileTransfer> =>
  new Promise((resolve) => link.once('file', resolve));

async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let written = 0; written < bytes;) {
    const chunk = randomBytes(Math.min(4 * 1024 * 1024, bytes - written));
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    written += chunk.byteLength;
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest('hex');
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isMonotonic(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value >= (values[i - 1] ?? 0));
}

describe('file transfer', () => {
  it('sends a small Blob, verified, while chat on the same link keeps flowing', async () => {
    const content = new TextEncoder().encode('small file '.repeat(5000));
    const incoming = offered(linkB);
    const sent = linkA.sendFile(fileSourceFromBlob(new Blob([content], { type: 'text/plain' }), 'note.txt'));
    const transfer = await incoming;
    expect([transfer.name, transfer.size, transfer.mimeType]).toEqual([
      'note.txt',
      content.byteLength,
      'text/plain',
    ]);
    const sink = blobFileSink(transfer.mimeType);
    const chat = new Promise((resolve) => linkB.channel('chat').once('message', resolve));
    await linkA.channel('chat').send('during transfer');
    await Promise.all([transfer.accept(sink), sent.result]);
    expect(await chat).toEqual({ kind: 'text', text: 'during transfer' });
    expect(new Uint8Array(await sink.blob!.arrayBuffer())).toEqual(content);
  });

  it('cancel from the receiver reaches the sender, and cancel from the sender reaches the receiver', async () => {
    const source = await (async () => {
      const path = join(dir, 'cancel.bin');
      await writeRandomFile(path, 8 * 1024 * 1024);
      return path;
    })();
    const incoming1 = offered(linkB);
    const out1 = linkA.sendFile(await fileSourceFromPath(source));
    const in1 = await incoming1;
    const received1 = in1.accept(fileSinkToPath(join(dir, 'cancel-1.bin')));
    in1.once('progress', () => in1.cancel());
    await expect(received1).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    await expect(out1.result).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });

    const incoming2 = offered(linkB);
    const out2 = linkA.sendFile(await fileSourceFromPath(source));
    const in2 = await incoming2;
    const received2 = in2.accept(fileSinkToPath(join(dir, 'cancel-2.bin')));
    out2.once('progress', () => out2.cancel());
    await expect(received2).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    await expect(out2.result).rejects.toMatchObject({ code: 'TRANSFER_CANCELLED' });
    await expect(stat(join(dir, 'cancel-2.bin'))).rejects.toThrow();
  });

  it('streams a 200 MiB file disk to disk: hashes match, progress is monotonic, memory stays bounded', async () => {
    const size = 200 * 1024 * 1024;
    const sourcePath = join(dir, 'big.bin');
    const targetPath = join(dir, 'big-received.bin');
    const expected = await writeRandomFile(sourcePath, size);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);
    const sentProgress: number[] = [];
    const receivedProgress: number[] = [];
    try {
      const incoming = offered(linkB);
      const out = linkA.sendFile(await fileSourceFromPath(sourcePath));
      out.on('progress', (p) => sentProgress.push(p.bytes));
      const transfer = await incoming;
      transfer.on('progress', (p) => receivedProgress.push(p.bytes));
      await Promise.all([transfer.accept(fileSinkToPath(targetPath)), out.result]);
    } finally {
      clearInterval(sampler);
    }
    expect(await sha256OfFile(targetPath)).toBe(expected);
    expect(isMonotonic(sentProgress) && isMonotonic(receivedProgress)).toBe(true);
    expect(sentProgress.at(-1)).toBe(size);
    expect(receivedProgress.at(-1)).toBe(size);
    // Both sides run in this process: neither may have held the file (200 MiB) in memory.
    expect(rssPeak - rssBefore).toBeLessThan(size / 2);
  }, 180_000);
});
