import { ExponentialBackoffPolicy, SignalingClient } from '@switchboard/client';
import { startServer } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { nextEvent, nextState } from './next-event.js';

describe('SignalingClient when the server drains', () => {
  it('tells the app, keeps the session and goes on reconnecting instead of closing', async () => {
    const server = await startServer({ drainTimeoutMs: 2_000 });
    const client = new SignalingClient({
      url: server.url,
      WebSocket,
      reconnectPolicy: new ExponentialBackoffPolicy({ baseDelayMs: 50, maxDelayMs: 200 }),
    });
    try {
      await client.connect();
      await client.join('drain', { nickname: 'ada' });
      const sessionId = client.sessionId;
      const goingAway = nextEvent(client, 'server-going-away');
      const reconnecting = nextState(client, 'reconnecting');
      const drained = server.server.drain();
      const [info] = await goingAway;
      expect(info.reason).toMatch(/^(drain|shutdown)$/);
      expect(info.reconnectInMs).toBeGreaterThanOrEqual(0);
      await drained;
      await reconnecting;
      expect(client.state.state).not.toBe('closed');
      // The session is kept for the resume, and the rooms with it.
      expect(client.sessionId).toBe(sessionId);
      expect(client.rooms).toEqual(['drain']);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
