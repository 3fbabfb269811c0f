import type { SwitchboardError } from '@switchboard/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Handshake } from './handshake.js';
import type { TokenSource } from './signaling-client-options.js';

const session = { sessionId: 's', resumeSecret: 'r' };

function make(token: TokenSource | undefined) {
  const sent: unknown[] = [];
  const dropped: SwitchboardError[] = [];
  const handshake = new Handshake({
    token,
    timeoutMs: 1000,
    send: (text) => sent.push(JSON.parse(text)),
    drop: (error) => dropped.push(error),
  });
  return { handshake, sent, dropped };
}

describe('Handshake', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks a token provider before each attempt', async () => {
    let n = 0;
    const { handshake, sent } = make(() => `token-${++n}`);
    await handshake.begin(undefined, () => 0);
    handshake.complete();
    await handshake.begin(session, () => 7);
    expect(sent).toEqual([
      { type: 'hello', v: 1, token: 'token-1' },
      { type: 'resume', v: 1, sessionId: 's', resumeSecret: 'r', lastSeq: 7, token: 'token-2' },
    ]);
  });

  it('presents a refreshed token instead of the configured one', async () => {
    const { handshake, sent } = make('old');
    handshake.setToken('new');
    await handshake.begin(session, () => 0);
    expect(sent).toMatchObject([{ token: 'new' }]);
  });

  it('drops the socket when the provider fails, and marks that failure as retryable', async () => {
    const { handshake, sent, dropped } = make(() => Promise.reject(new Error('auth service down')));
    await handshake.begin(undefined, () => 0);
    expect(sent).toEqual([]);
    expect(dropped).toHaveLength(1);
    expect(handshake.isProviderFailure(dropped[0]!)).toBe(true);
  });

  it('says hello after the server refused a resume, until a welcome', async () => {
    const { handshake, sent } = make(undefined);
    handshake.forbidResume();
    await handshake.begin(session, () => 3);
    handshake.complete();
    await handshake.begin(session, () => 3);
    expect(sent).toMatchObject([{ type: 'hello' }, { type: 'resume' }]);
  });

  it('gives up on a socket with no welcome in time', async () => {
    vi.useFakeTimers();
    const { handshake, dropped } = make(undefined);
    await handshake.begin(undefined, () => 0);
    vi.advanceTimersByTime(999);
    expect(dropped).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dropped).toMatchObject([{ code: 'TIMEOUT' }]);
  });

  it('does not send for a socket that went away while the provider ran', async () => {
    let release: (token: string) => void = () => undefined;
    const { handshake, sent } = make(() => new Promise<string>((resolve) => (release = resolve)));
    const pending = handshake.begin(undefined, () => 0);
    handshake.abort();
    release('late');
    await pending;
    expect(sent).toEqual([]);
  });
});
