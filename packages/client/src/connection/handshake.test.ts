import { SwitchboardError } from '@switchboard/protocol';
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
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1&access_token=token-1');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    expect(await handshake.resolveUrl('ws://h/ws?x=1&access_token=stale')).toBe(
      'ws://h/ws?x=1&access_token=token-2',
    );
    handshake.begin(session, () => 7);
    expect(sent).toEqual([{ type: 'resume', v: 1, sessionId: 's', resumeSecret: 'r', lastSeq: 7 }]);
    expect(handshake.presentedToken).toBe('token-2');
  });

  it('says hello in the URL before the first welcome, and sends no hello frame then', async () => {
    const { handshake, sent } = make(undefined);
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1');
    expect(handshake.presentedToken).toBeUndefined();
    handshake.begin(undefined, () => 0);
    expect(sent).toEqual([]);
  });

  it('resumes with a frame, from a URL that does not say hello even when the app put a v in it', async () => {
    const { handshake, sent } = make(undefined);
    await handshake.resolveUrl('ws://h/ws');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws');
    expect(await handshake.resolveUrl('ws://h/ws?v=1&room=a')).toBe('ws://h/ws?room=a');
    handshake.begin(session, () => 4);
    expect(sent).toEqual([{ type: 'resume', v: 1, sessionId: 's', resumeSecret: 'r', lastSeq: 4 }]);
  });

  it('says hello with a frame when the session was forgotten after the URL was made', async () => {
    const { handshake, sent } = make(undefined);
    await handshake.resolveUrl('ws://h/ws');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    await handshake.resolveUrl('ws://h/ws');
    handshake.begin(undefined, () => 0);
    expect(sent).toEqual([{ type: 'hello', v: 1 }]);
    // The next URL says hello again: nothing is left to resume.
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1');
  });

  it('presents a refreshed token instead of the configured one', async () => {
    const { handshake } = make('old');
    handshake.setToken('new');
    expect(await handshake.resolveUrl('ws://h/')).toBe('ws://h/?v=1&access_token=new');
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

  it('says that hello in the URL when the server refused a resume', async () => {
    const { handshake, sent } = make(undefined);
    await handshake.resolveUrl('ws://h/');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    handshake.forbidResume();
    expect(await handshake.resolveUrl('ws://h/')).toBe('ws://h/?v=1');
    handshake.begin(session, () => 3);
    expect(sent).toEqual([]);
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
  it('falls back to a hello frame for good when a URL hello got no welcome in time (a server before ADR 0015)', async () => {
    vi.useFakeTimers();
    const { handshake, sent, dropped } = make(undefined);
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1');
    handshake.begin(undefined, () => 0);
    vi.advanceTimersByTime(1000);
    expect(dropped.map((e) => e.code)).toEqual(['TIMEOUT']);
    handshake.abort(dropped[0]);
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws');
    handshake.begin(undefined, () => 0);
    expect(sent).toEqual([{ type: 'hello', v: 1 }]);
    handshake.complete();
    handshake.forbidResume();
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws');
  });

  it("falls back to a hello frame when the server's own handshake timer closed a URL-hello socket", async () => {
    const { handshake, sent } = make(undefined);
    await handshake.resolveUrl('ws://h/ws');
    handshake.begin(undefined, () => 0);
    handshake.abort(new SwitchboardError('HANDSHAKE_TIMEOUT', 'no hello or resume in time'));
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws');
    handshake.begin(undefined, () => 0);
    expect(sent).toEqual([{ type: 'hello', v: 1 }]);
  });

  it('keeps saying hello in the URL after a socket lost before its welcome for another reason', async () => {
    const { handshake } = make(undefined);
    await handshake.resolveUrl('ws://h/ws');
    handshake.begin(undefined, () => 0);
    handshake.abort(new SwitchboardError('CONNECTION_LOST', 'the socket closed (1006)'));
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1');
    handshake.begin(undefined, () => 0);
    handshake.complete();
    handshake.abort(new SwitchboardError('HANDSHAKE_TIMEOUT', 'after the welcome: not a URL-hello refusal'));
    handshake.forbidResume();
    expect(await handshake.resolveUrl('ws://h/ws')).toBe('ws://h/ws?v=1');
  });
});
