import { describe, expect, it } from 'vitest';
import { inviteLink, parseRoute } from './route.js';

describe('parseRoute', () => {
  it('opens the lobby at /', () => {
    expect(parseRoute({ pathname: '/', search: '' })).toEqual({
      kind: 'room',
      room: 'lobby',
      group: false,
      fromLink: false,
    });
  });

  it('reads the room from /r/<room> and the group flag from the query', () => {
    expect(parseRoute({ pathname: '/r/team-7', search: '?call=group' })).toEqual({
      kind: 'room',
      room: 'team-7',
      group: true,
      fromLink: true,
    });
  });

  it('reads the room from ?room=', () => {
    expect(parseRoute({ pathname: '/', search: '?room=abc' })).toMatchObject({ room: 'abc', fromLink: true });
  });

  it('falls back to the lobby for an invalid room name', () => {
    expect(parseRoute({ pathname: '/r/-bad%20room', search: '' })).toMatchObject({
      room: 'lobby',
      fromLink: false,
    });
  });

  it('recognises serverless mode', () => {
    expect(parseRoute({ pathname: '/', search: '?mode=serverless' })).toEqual({ kind: 'serverless' });
  });
});

describe('inviteLink', () => {
  it('round-trips through parseRoute', () => {
    const url = new URL(inviteLink('https://example.test', 'design_review', true));
    expect(parseRoute(url)).toEqual({ kind: 'room', room: 'design_review', group: true, fromLink: true });
  });
});
