import { describe, expect, it } from 'vitest';
import { LinkIncarnations } from './link-incarnations.js';

const offer = (l?: string, r?: string) =>
  ({ sb: 1, k: 'sdp', t: 'offer', s: 'v=0', ...(l && { l }), ...(r && { r }) }) as const;
const answer = (l?: string, r?: string) =>
  ({ sb: 1, k: 'sdp', t: 'answer', s: 'v=0', ...(l && { l }), ...(r && { r }) }) as const;
const ice = (l?: string, r?: string) =>
  ({ sb: 1, k: 'ice', c: [], ...(l && { l }), ...(r && { r }) }) as const;
const bye = (l?: string, r?: string) => ({ sb: 1, k: 'bye', ...(l && { l }), ...(r && { r }) }) as const;

describe('LinkIncarnations', () => {
  it('starts a link on an offer, keeps early candidates, and has nothing to apply an answer or bye to', () => {
    const ids = new LinkIncarnations();
    expect(ids.classify('p', offer('a1'), undefined)).toBe('start');
    expect(ids.classify('p', ice('a1'), undefined)).toBe('early');
    expect(ids.classify('p', answer('a1'), undefined)).toBe('stale');
    expect(ids.classify('p', bye('a1'), undefined)).toBe('stale');
  });

  it('delivers envelopes of the current incarnation, and those of older SDKs without ids', () => {
    const ids = new LinkIncarnations();
    const link = { linkId: 'b1', remoteLinkId: 'a1' };
    for (const signal of [answer('a1', 'b1'), ice('a1', 'b1'), bye('a1'), ice(), bye(), offer('a1', 'b1')])
      expect(ids.classify('p', signal, link)).toBe('deliver');
    // A link that has not heard from the remote yet adopts whatever comes first.
    expect(ids.classify('p', answer('a9', 'b1'), { linkId: 'b1', remoteLinkId: undefined })).toBe('deliver');
  });

  it('drops envelopes addressed to an earlier link of ours', () => {
    const ids = new LinkIncarnations();
    const link = { linkId: 'b2', remoteLinkId: undefined };
    expect(ids.classify('p', answer('a1', 'b1'), link)).toBe('stale');
    expect(ids.classify('p', bye('a1', 'b1'), link)).toBe('stale');
  });

  it('drops everything from a retired remote link, even once ours is gone', () => {
    const ids = new LinkIncarnations();
    ids.retire('p', 'a1');
    expect(ids.classify('p', bye('a1'), { linkId: 'b2', remoteLinkId: undefined })).toBe('stale');
    expect(ids.classify('p', ice('a1'), undefined)).toBe('stale');
    expect(ids.classify('p', offer('a1'), undefined)).toBe('stale');
    // Retirement is per peer: another peer may use the same id.
    expect(ids.classify('q', offer('a1'), undefined)).toBe('start');
  });

  it('replaces the link on an offer from a new remote incarnation, and drops its other envelopes', () => {
    const ids = new LinkIncarnations();
    const link = { linkId: 'b1', remoteLinkId: 'a1' };
    expect(ids.classify('p', offer('a2'), link)).toBe('replace');
    expect(ids.classify('p', ice('a2'), link)).toBe('stale');
    expect(ids.classify('p', bye('a2'), link)).toBe('stale');
  });
});
