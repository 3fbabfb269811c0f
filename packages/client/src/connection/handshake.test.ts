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

  it('asks a token provider before each attempt and puts the token in the upgrade URL, not in hello', async () => {
    let n = 0;
    const { handshake, sent } = make(() => `token-${++n}`);
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?access_token=token-1');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    expect(await handshake.resolveUrl('ws://h/ws?x=1&access_token=stale')).toBe(
      'ws://h/ws?x=1&access_token=token-2',
    );
    handshake.begin(session, () => 7);
    expect(sent).toEqual([
      { type: 'hello', v: 1 },
      { type: 'resume', v: 1, sessionId: 's', resumeSecret: 'r', lastSeq: 7 },
    ]);
    expect(handshake.presentedToken).toBe('token-2');
  });

  it('leaves the URL alone without a token', async () => {
    const { handshake } = make(undefined);
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws');
    expect(handshake.presentedToken).toBeUndefined();
  });

  it('presents a refreshed token instead of the configured one', async () => {
    const { handshake } = make('old');
    handshake.setToken('new');
    expect(await handshake.resolveUrl('ws://h/')).toBe('ws://h/?access_token=new');
  });

  it('fails the attempt when the provider fails, and marks that failure as retryable', async () => {
    const { handshake, sent } = make(() => Promise.reject(new Error('auth service down')));
    const failure = await handshake.resolveUrl('ws://h/').then(
      () => undefined,
      (error: unknown) => error as SwitchboardError,
    );
    expect(sent).toEqual([]);
    expect(failure?.code).toBe('UNAUTHORIZED');
    expect(handshake.isProviderFailure(failure!)).toBe(true);
  });

  it('says hello after the server refused a resume, until a welcome', () => {
    const { handshake, sent } = make(undefined);
    handshake.forbidResume();
    handshake.begin(session, () => 3);
    handshake.complete();
    handshake.begin(session, () => 3);
    expect(sent).toMatchObject([{ type: 'hello' }, { type: 'resume' }]);
  });

  it('gives up on a socket with no welcome in time', () => {
    vi.useFakeTimers();
    const { handshake, dropped } = make(undefined);
    handshake.begin(undefined, () => 0);
    vi.advanceTimersByTime(999);
    expect(dropped).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(dropped).toMatchObject([{ code: 'TIMEOUT' }]);
  });
});
