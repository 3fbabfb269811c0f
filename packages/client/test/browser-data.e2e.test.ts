/**
 * Data channels and file transfer through the SDK in real Chromium, through the real server: Chromium ↔
 * Chromium (text, JSON, binary larger than the SCTP message limit, and a few MiB file verified by SHA-256),
 * and Node (@roamhq/wrtc) ↔ Chromium in both offer directions with small files both ways. Each browser
 * peer runs in its own Chromium process, loaded from the broker's origin (page-harness.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  blobFileSink,
  fileSourceFromBlob,
  type ChannelMessage,
  type IncomingFileTransfer,
  type PeerLink,
} from '@switchboard/client';
import {
  closePages,
  createNodePeer,
  hasChromium,
  startBrowserPeers,
  type BrowserPeers,
  type NodePeer,
  type PeerPageWindow,
} from '@switchboard/testing';

const skip = !hasChromium();
let lab: BrowserPeers;
const nodePeers: NodePeer[] = [];
let room = 0;

beforeAll(async () => {
  if (!skip) lab = await startBrowserPeers(2);
});

afterAll(async () => {
  if (skip) return;
  for (const peer of nodePeers) await peer.close();
  await lab.close();
});

/** A page in browser `index`, joined to `roomName`; resolves with the page and its peer id. */
const pagePeer = (index: number, roomName: string, nickname: string): Promise<[Page, string]> =>
  lab.pagePeer(index, roomName, nickname);

function errorsOf(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as PeerPageWindow).harness.record.errors);
}

/**
 * Arms `page` to accept the next file `from` sends into a blobFileSink, before the sender starts, so the
 * offer can never arrive before the listener (a link declines files nobody listens for).
 */
async function armFileReceiver(page: Page, from: string): Promise<void> {
  await page.evaluate((peerId) => {
    const { harness, Switchboard } = window as unknown as PeerPageWindow;
    const peers = harness.peer!.peers;
    const offered = new Promise<IncomingFileTransfer>((resolve) => {
      const existing = peers.link(peerId);
      if (existing !== undefined) existing.once('file', resolve);
      else
        peers.once('link', (link) => {
          link.once('file', resolve);
        });
    });
    harness.stash['file'] = (async () => {
      const transfer = await harness.within(offered, 20_000, `a file offer from ${peerId}`);
      const progress: number[] = [];
      transfer.on('progress', (p) => progress.push(p.bytes));
      const sink = Switchboard.blobFileSink(transfer.mimeType);
      // accept() resolves only once the SDK's own SHA-256 of the whole file matched the sender's.
      await harness.within(transfer.accept(sink), 60_000, `the file "${transfer.name}"`);
      const blob = sink.blob!;
      return {
        name: transfer.name,
        type: blob.type,
        size: blob.size,
        sha256: await harness.sha256Hex(blob),
        progress,
      };
    })();
  }, from);
}

/** What the file armed by `armFileReceiver` turned into. */
function receivedFile(
  page: Page,
): Promise<{ name: string; type: string; size: number; sha256: string; progress: number[] }> {
  return page.evaluate(
    () =>
      (window as unknown as PeerPageWindow).harness.stash['file'] as Promise<{
        name: string;
        type: string;
        size: number;
        sha256: string;
        progress: number[];
      }>,
  );
}

/** Rejects when `promise` has not settled within 20 s, naming what was awaited. Never a sleep. */
function within<T>(promise: Promise<T>, what: string, timeoutMs = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(skip)(`SDK data in Chromium${skip ? ' (SKIPPED: Chromium is not installed)' : ''}`, () => {
  it('Chromium ↔ Chromium: text, JSON and a 1 MiB binary message arrive intact, both ways', async () => {
    const roomName = `data-${++room}`;
    const [ada, adaId] = await pagePeer(0, roomName, 'ada');
    const [bob, bobId] = await pagePeer(1, roomName, 'bob');
    try {
      const sentHash = await ada.evaluate(async (to) => {
        const { harness } = window as unknown as PeerPageWindow;
        const chat = harness.channel(harness.peer!.peers.connect(to), 'chat');
        const big = harness.randomBlob(1024 * 1024);
        const bytes = new Uint8Array(await big.arrayBuffer());
        await chat.send('hello from ada');
        await chat.sendJson({ n: 1, list: ['a', { b: null }] });
        await chat.sendBinary(bytes);
        return harness.sha256Hex(bytes);
      }, bobId);
      await bob.waitForFunction(
        () => {
          const { messages } = (window as unknown as PeerPageWindow).harness.record;
          return messages.length === 3 && messages[2]!.message.kind === 'binary';
        },
        undefined,
        { timeout: 20_000 },
      );
      const received = await bob.evaluate(
        () => (window as unknown as PeerPageWindow).harness.record.messages,
      );
      expect(received.map((m) => [m.from, m.channel, m.message])).toEqual([
        [adaId, 'chat', { kind: 'text', text: 'hello from ada' }],
        [adaId, 'chat', { kind: 'json', value: { n: 1, list: ['a', { b: null }] } }],
        [adaId, 'chat', { kind: 'binary', bytes: 1024 * 1024, sha256: sentHash }],
      ]);
      await bob.evaluate(async (to) => {
        const { harness } = window as unknown as PeerPageWindow;
        const link = await harness.linkTo(to);
        await link.channel('chat').send('hello back from bob');
      }, adaId);
      await ada.waitForFunction(
        () => (window as unknown as PeerPageWindow).harness.record.messages.length === 1,
        undefined,
        { timeout: 10_000 },
      );
      const back = await ada.evaluate(() => (window as unknown as PeerPageWindow).harness.record.messages);
      expect(back[0]?.message).toEqual({ kind: 'text', text: 'hello back from bob' });
      expect([...(await errorsOf(ada)), ...(await errorsOf(bob))]).toEqual([]);
    } finally {
      await closePages(ada, bob);
    }
  });

  it('Chromium ↔ Chromium: a 6 MiB Blob arrives with matching SHA-256 and monotonic progress', async () => {
    const roomName = `file-${++room}`;
    const [ada, adaId] = await pagePeer(0, roomName, 'ada');
    const [bob, bobId] = await pagePeer(1, roomName, 'bob');
    const size = 6 * 1024 * 1024;
    try {
      await armFileReceiver(bob, adaId);
      const sent = await ada.evaluate(
        async ({ to, bytes }) => {
          const { harness, Switchboard } = window as unknown as PeerPageWindow;
          const blob = harness.randomBlob(bytes, 'application/x-test');
          const link = harness.peer!.peers.connect(to);
          const transfer = link.sendFile(Switchboard.fileSourceFromBlob(blob, 'random.bin'));
          const progress: number[] = [];
          transfer.on('progress', (p) => progress.push(p.bytes));
          await harness.within(transfer.result, 60_000, 'the receiver to confirm the file');
          return { sha256: await harness.sha256Hex(blob), progress };
        },
        { to: bobId, bytes: size },
      );
      const got = await receivedFile(bob);
      expect([got.name, got.type, got.size]).toEqual(['random.bin', 'application/x-test', size]);
      expect(got.sha256).toBe(sent.sha256);
      for (const progress of [sent.progress, got.progress]) {
        expect(progress.every((bytes, i) => i === 0 || bytes >= progress[i - 1]!)).toBe(true);
        expect(progress.at(-1)).toBe(size);
      }
      expect([...(await errorsOf(ada)), ...(await errorsOf(bob))]).toEqual([]);
    } finally {
      await closePages(ada, bob);
    }
  });

  for (const offerer of ['node', 'chromium'] as const) {
    it(`Node (wrtc) ↔ Chromium, ${offerer} offering: messages and a small file each way`, async () => {
      const roomName = `mixed-${++room}`;
      const [page, pageId] = await pagePeer(0, roomName, 'chromium');
      const node = await createNodePeer({ url: lab.server.url, room: roomName, nickname: 'node' });
      nodePeers.push(node);
      try {
        // The offerer opens "chat" and speaks first; the answerer replies on the same channel.
        let nodeLink: PeerLink;
        let nodeGot: Promise<ChannelMessage>;
        if (offerer === 'node') {
          nodeLink = node.peers.connect(pageId);
          const chat = nodeLink.channel('chat');
          nodeGot = new Promise((resolve) => chat.once('message', resolve));
          await within(chat.sendJson({ from: 'node' }), 'the node offer to connect');
        } else {
          const created = new Promise<PeerLink>((resolve) => node.peers.once('link', resolve));
          nodeGot = created.then(
            (link) => new Promise((resolve) => link.once('channel', (c) => c.once('message', resolve))),
          );
          await page.evaluate(async (to) => {
            const { harness } = window as unknown as PeerPageWindow;
            await harness.channel(harness.peer!.peers.connect(to), 'chat').send('from chromium');
          }, node.peerId);
          nodeLink = await within(created, 'the chromium offer to reach node');
          expect(await within(nodeGot, 'the first message')).toEqual({ kind: 'text', text: 'from chromium' });
          await within(nodeLink.channel('chat').sendJson({ from: 'node' }), 'the reply');
        }
        await page.waitForFunction(
          () => (window as unknown as PeerPageWindow).harness.record.messages.length === 1,
          undefined,
          { timeout: 20_000 },
        );
        const pageGot = await page.evaluate(
          () => (window as unknown as PeerPageWindow).harness.record.messages,
        );
        expect(pageGot[0]).toEqual({
          from: node.peerId,
          channel: 'chat',
          message: { kind: 'json', value: { from: 'node' } },
        });
        if (offerer === 'node') {
          await page.evaluate(async (to) => {
            const { harness } = window as unknown as PeerPageWindow;
            await (await harness.linkTo(to)).channel('chat').send('from chromium');
          }, node.peerId);
          expect(await within(nodeGot, 'the reply')).toEqual({ kind: 'text', text: 'from chromium' });
        }

        // Node → Chromium: a Blob from Node, received into a Blob in the page.
        const nodeBytes = new Uint8Array(300 * 1024).map((_, i) => (i * 7) % 256);
        await armFileReceiver(page, node.peerId);
        await within(
          nodeLink.sendFile(fileSourceFromBlob(new Blob([nodeBytes]), 'from-node.bin')).result,
          'the page to confirm the file',
        );
        const pageGotFile = await receivedFile(page);
        expect([pageGotFile.name, pageGotFile.size, pageGotFile.sha256]).toEqual([
          'from-node.bin',
          nodeBytes.byteLength,
          sha256(nodeBytes),
        ]);

        // Chromium → Node: random bytes made in the page, received into a Blob in Node.
        const incoming = new Promise<IncomingFileTransfer>((resolve) => nodeLink.once('file', resolve));
        const pageSent = page.evaluate(async (to) => {
          const { harness, Switchboard } = window as unknown as PeerPageWindow;
          const blob = harness.randomBlob(200 * 1024);
          const link = await harness.linkTo(to);
          await harness.within(
            link.sendFile(Switchboard.fileSourceFromBlob(blob, 'from-chromium.bin')).result,
            30_000,
            'node to confirm the file',
          );
          return harness.sha256Hex(blob);
        }, node.peerId);
        const transfer = await within(incoming, 'a file offer from chromium');
        const sink = blobFileSink();
        await within(transfer.accept(sink), 'the file from chromium');
        const receivedBytes = new Uint8Array(await sink.blob!.arrayBuffer());
        expect(transfer.name).toBe('from-chromium.bin');
        expect(sha256(receivedBytes)).toBe(await pageSent);
        expect(await errorsOf(page)).toEqual([]);
      } finally {
        await closePages(page);
      }
    });
  }
});
