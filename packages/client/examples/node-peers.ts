/**
 * Two Node peers connect through a Switchboard broker, exchange a chat message and a small file, print
 * what they received, and exit 0. Run: `npm run example:node-peers`.
 *
 * It uses only the public APIs: `createServer` from @switchboard/server, and SignalingClient + PeerManager
 * from @switchboard/client with RTCPeerConnection injected from @roamhq/wrtc.
 */
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type * as Wrtc from '@roamhq/wrtc';
import { createServer } from '@switchboard/server';
import {
  PeerManager,
  SignalingClient,
  fileSinkToPath,
  fileSourceFromPath,
  signalChannelFromClient,
  type PeerLink,
  type RTCPeerConnectionConstructor,
} from '@switchboard/client';

const wrtc = createRequire(import.meta.url)('@roamhq/wrtc') as typeof Wrtc;
const RTCPeerConnection = wrtc.RTCPeerConnection as unknown as RTCPeerConnectionConstructor;

async function startPeer(
  url: string,
  nickname: string,
): Promise<{ client: SignalingClient; peers: PeerManager }> {
  const client = new SignalingClient({ url, WebSocket });
  await client.connect();
  await client.join('example', { nickname });
  return { client, peers: new PeerManager({ signals: signalChannelFromClient(client), RTCPeerConnection }) };
}

async function main(): Promise<void> {
  const server = createServer({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
  const { port } = await server.listen();
  const url = `ws://127.0.0.1:${port}/ws`;
  console.log(`broker listening on ${url}`);
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-example-'));
  const ada = await startPeer(url, 'ada');
  const bob = await startPeer(url, 'bob');
  try {
    const bobId = bob.client.peerId ?? '';
    // Bob answers whatever Ada starts: his link appears with her first offer.
    const bobLink = new Promise<PeerLink>((resolve) => bob.peers.once('link', resolve));
    const link = ada.peers.connect(bobId);
    const chat = link.channel('chat');
    const remote = await bobLink;
    const message = new Promise<string>((resolve) =>
      remote.once('channel', (channel) =>
        channel.once('message', (m) => resolve(m.kind === 'text' ? m.text : JSON.stringify(m))),
      ),
    );
    await chat.send('hello from ada');
    console.log(`bob received a message: "${await message}"`);

    const sourcePath = join(dir, 'greeting.txt');
    const targetPath = join(dir, 'greeting-received.txt');
    await writeFile(sourcePath, 'A small file sent over a WebRTC data channel.\n'.repeat(100));
    const received = new Promise<void>((resolve, reject) =>
      remote.once('file', (transfer) => {
        console.log(`bob is offered "${transfer.name}" (${transfer.size} bytes)`);
        transfer.accept(fileSinkToPath(targetPath)).then(resolve, reject);
      }),
    );
    const sent = link.sendFile(await fileSourceFromPath(sourcePath));
    await Promise.all([received, sent.result]);
    const content = await readFile(targetPath, 'utf8');
    console.log(
      `bob received the file, SHA-256 verified: ${content.length} bytes, first line "${content.split('\n')[0] ?? ''}"`,
    );
    const stats = await link.getStats();
    console.log(`path: ${stats.localCandidateType ?? '?'} -> ${stats.remoteCandidateType ?? '?'}`);
  } finally {
    ada.peers.close();
    bob.peers.close();
    await ada.client.close();
    await bob.client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
