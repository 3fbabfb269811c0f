/**
 * The SDK says hello in the upgrade URL (ADR 0015) and resumes with a frame: what it puts on the wire against
 * a real server, through a proxy that drops its socket.
 */
import { ExponentialBackoffPolicy, SignalingClient } from '@switchboard/client';
import { startServer, startTcpProxy, type StartedServer, type TcpProxy } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent } from './next-event.js';

/** Each socket the SDK opened: its URL and the frames it sent. */
interface Opened {
  readonly url: string;
  readonly sent: { type: string }[];
}

function recordingWebSocket(opened: Opened[]): typeof WebSocket {
  return class RecordingWebSocket extends WebSocket {
    readonly #record: Opened;
    constructor(url: string) {
      super(url);
      this.#record = { url, sent: [] };
      opened.push(this.#record);
    }
    override send(data: string): void {
      this.#record.sent.push(JSON.parse(data) as { type: string });
      super.send(data);
    }
  } as unknown as typeof WebSocket;
}

describe('SDK handshake', () => {
  let server: StartedServer;
  let proxy: TcpProxy;
  beforeAll(async () => {
    server = await startServer();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('says hello in the URL with no hello frame, then resumes with a frame from a URL without it', async () => {
    const opened: Opened[] = [];
    const client = new SignalingClient({
      url: proxy.wsUrl('/ws'),
      WebSocket: recordingWebSocket(opened),
      reconnectPolicy: new ExponentialBackoffPolicy({ baseDelayMs: 20, maxDelayMs: 200 }),
    });
    try {
      await client.connect();
      expect(opened).toHaveLength(1);
      expect(new URL(opened[0]!.url).searchParams.get('v')).toBe('1');
      expect(opened[0]!.sent.map((f) => f.type)).not.toContain('hello');
      const peerId = client.peerId;
      await client.join('url-hello', { nickname: 'ada' });

      const resumed = nextEvent(client, 'state', (s) => s.state === 'connected');
      expect(proxy.destroyAll()).toBeGreaterThan(0);
      const [state] = await resumed;
      expect(state).toMatchObject({ state: 'connected', resumed: true, peerId });
      const second = opened[1]!;
      expect(new URL(second.url).searchParams.has('v')).toBe(false);
      expect(second.sent[0]).toMatchObject({ type: 'resume' });
    } finally {
      await client.close();
    }
  });
  it('falls back to a hello frame when the server never reads the URL hello (a server before ADR 0015)', async () => {
    // A server that predates the URL hello is what this one is when the query never reaches it: the
    // WebSocket below dials the URL without its query, so the server waits for a hello frame.
    const old = await startServer({ handshakeTimeoutMs: 300 });
    const opened: Opened[] = [];
    const Recording = recordingWebSocket(opened);
    const QueryDropping = class extends Recording {
      constructor(url: string) {
        const target = new URL(url);
        target.search = '';
        super(target.toString());
      }
    } as unknown as typeof WebSocket;
    const client = new SignalingClient({
      url: old.url,
      WebSocket: QueryDropping,
      reconnectPolicy: new ExponentialBackoffPolicy({ baseDelayMs: 20, maxDelayMs: 200 }),
    });
    const errors: string[] = [];
    client.on('error', (error) => errors.push(error.code));
    try {
      await client.connect();
      // The server's error frame and its close (4008) are one failure: one event.
      expect(errors).toEqual(['HANDSHAKE_TIMEOUT']);
      expect(opened).toHaveLength(2);
      expect(opened[0]!.sent).toEqual([]);
      expect(opened[1]!.sent[0]).toMatchObject({ type: 'hello' });
      expect(client.peerId).toBeDefined();
    } finally {
      await client.close();
      await old.close();
    }
  });
});
