import type { PeerInfo } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { PresenceCache, mergeMetadata } from './presence-cache.js';

const peer = (peerId: string, nickname: string, polite = false): PeerInfo => ({
  peerId,
  metadata: { nickname },
  state: 'online',
  polite,
});

describe('PresenceCache', () => {
  it('rebuilds a room from its roster and keeps it current from diffs', () => {
    const cache = new PresenceCache();
    cache.applyRoster('lobby', { nickname: 'me' }, [peer('b', 'bob')]);
    cache.applyPeer('lobby', peer('c', 'cat'));
    cache.applyPeer('lobby', { ...peer('b', 'bob'), state: 'reconnecting' });
    cache.removePeer('lobby', 'c');
    expect(cache.peers('lobby')).toEqual([{ ...peer('b', 'bob'), state: 'reconnecting' }]);
    expect(cache.rooms).toEqual(['lobby']);
  });

  it('keeps what each peer’s SDK advertised, replaced by every roster and diff', () => {
    const cache = new PresenceCache();
    cache.applyRoster(
      'lobby',
      { nickname: 'me' },
      [peer('b', 'bob'), peer('c', 'cat')],
      undefined,
      new Map([['b', new Set(['z1'])]]),
    );
    expect([...cache.featuresOf('b')]).toEqual(['z1']);
    expect(cache.featuresOf('c').size).toBe(0);
    cache.applyPeer('lobby', peer('c', 'cat'), new Set(['z1']));
    expect(cache.featuresOf('c').has('z1')).toBe(true);
    // A peer-updated from a tab that reloaded with an older SDK advertises nothing.
    cache.applyPeer('lobby', peer('b', 'bob'));
    expect(cache.featuresOf('b').size).toBe(0);
    cache.removePeer('lobby', 'c');
    expect(cache.featuresOf('c').size).toBe(0);
    cache.applyPeer('lobby', peer('c', 'cat'), new Set(['z1']));
    cache.applyRoster('lobby', { nickname: 'me' }, [peer('c', 'cat')]);
    expect(cache.featuresOf('c').size).toBe(0);
    expect(cache.featuresOf('nobody').size).toBe(0);
  });

  it('replaces what it knew when a new roster arrives', () => {
    const cache = new PresenceCache();
    cache.applyRoster('lobby', { nickname: 'me' }, [peer('b', 'bob')]);
    cache.applyRoster('lobby', { nickname: 'me' }, [peer('d', 'dan')]);
    expect(cache.peers('lobby').map((p) => p.peerId)).toEqual(['d']);
  });

  it('ignores diffs for rooms it is not in', () => {
    const cache = new PresenceCache();
    cache.applyPeer('elsewhere', peer('b', 'bob'));
    expect(cache.peers('elsewhere')).toEqual([]);
    expect(cache.rooms).toEqual([]);
  });

  it('finds a peer in any room, with its politeness', () => {
    const cache = new PresenceCache();
    cache.applyRoster('a', { nickname: 'me' }, []);
    cache.applyRoster('b', { nickname: 'me' }, [peer('x', 'xena', true)]);
    expect(cache.findPeer('x')?.polite).toBe(true);
    expect(cache.findPeer('nobody')).toBeUndefined();
  });

  it('applies an accepted metadata patch to one room or to all', () => {
    const cache = new PresenceCache();
    cache.applyRoster('a', { nickname: 'me' }, []);
    cache.applyRoster('b', { nickname: 'me' }, []);
    cache.applySelfPatch({ status: 'busy' }, 'a');
    expect(cache.selfMetadata('a')).toEqual({ nickname: 'me', status: 'busy' });
    expect(cache.selfMetadata('b')).toEqual({ nickname: 'me' });
    cache.applySelfPatch({ nickname: 'new' }, undefined);
    expect(cache.selfMetadata('b')).toEqual({ nickname: 'new' });
  });

  it('forgets a room it left', () => {
    const cache = new PresenceCache();
    cache.applyRoster('a', { nickname: 'me' }, [peer('b', 'bob')]);
    cache.removeRoom('a');
    expect(cache.has('a')).toBe(false);
    expect(cache.findPeer('b')).toBeUndefined();
  });
});

describe('mergeMetadata', () => {
  it('keeps fields the patch omits', () => {
    expect(
      mergeMetadata({ nickname: 'ada', status: 'away', extra: { x: 1 } }, { status: 'available' }),
    ).toEqual({
      nickname: 'ada',
      status: 'available',
      extra: { x: 1 },
    });
  });
});
