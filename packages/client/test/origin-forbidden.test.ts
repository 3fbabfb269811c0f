/**
 * A page whose Origin the server does not allow: the SDK must stop and say ORIGIN_FORBIDDEN. Regression
 * test for the endless reconnect loop when the server refused such an upgrade with HTTP 403, which a
 * browser only sees as close 1006 (ADR 0007 addendum).
 */
import {
  SignalingClient,
  SwitchboardError,
  type ConnectionState,
  type WebSocketConstructor,
} from '@switchboard/client';
import { startServer, type StartedServer } from '@switchboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

/** A Node WebSocket that sends an Origin header, as a browser on `origin` does. */
function webSocketFrom(origin: string, opened: string[]): WebSocketConstructor {
  return class BrowserLikeWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      opened.push(url);
    }
  };
}

describe('SignalingClient from a forbidden origin', () => {
  let server: StartedServer;
  const clients: SignalingClient[] = [];

  beforeAll(async () => {
    server = await startServer({ allowedOrigins: ['https://app.example.com'] });
  });
  afterAll(() => server.close());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('stops at the first refusal and reports ORIGIN_FORBIDDEN instead of reconnecting forever', async () => {
    const opened: string[] = [];
    const client = new SignalingClient({
      url: server.url,
      WebSocket: webSocketFrom('https://evil.example', opened),
      // Retrying at once would loop fast if the refusal were not terminal.
      reconnectPolicy: { nextRetryDelayInMs: () => 0 },
    });
    clients.push(client);
    const states: ConnectionState[] = [];
    const errors: string[] = [];
    client.on('state', (state) => states.push(state));
    client.on('error', (error) => errors.push(error.code));

    const refusal = await client.connect().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SwitchboardError);
    expect((refusal as SwitchboardError).code).toBe('ORIGIN_FORBIDDEN');
    // A retry always passes through 'reconnecting' before its timer; 'closed' is final.
    expect(states.map((state) => state.state)).toEqual(['connecting', 'closed']);
    expect(client.state).toMatchObject({ state: 'closed', reason: { code: 'ORIGIN_FORBIDDEN' } });
    expect(errors).toContain('ORIGIN_FORBIDDEN');
    expect(opened).toHaveLength(1);
    await expect(client.join('lobby', { nickname: 'eve' })).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('connects from an allowed origin with the same WebSocket', async () => {
    const client = new SignalingClient({
      url: server.url,
      WebSocket: webSocketFrom('https://app.example.com', []),
    });
    clients.push(client);
    await client.connect();
    expect(client.state.state).toBe('connected');
  });
});
