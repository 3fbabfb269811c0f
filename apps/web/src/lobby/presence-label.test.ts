import { describe, expect, it } from 'vitest';
import { describePresence, initials, sortContacts } from './presence-label.js';

const peer = (
  nickname: string,
  status?: 'available' | 'busy' | 'away',
  state: 'online' | 'reconnecting' = 'online',
) => ({
  state,
  metadata: status === undefined ? { nickname } : { nickname, status },
});

describe('describePresence', () => {
  it('reads a peer without a status as available', () => {
    expect(describePresence(peer('Ada'))).toEqual({ tone: 'available', text: 'Available', callable: true });
  });

  it('reads busy as "In a call"', () => {
    expect(describePresence(peer('Ada', 'busy')).text).toBe('In a call');
  });

  it('puts reconnecting above any status and makes the contact not callable', () => {
    expect(describePresence(peer('Ada', 'available', 'reconnecting'))).toMatchObject({
      tone: 'reconnecting',
      callable: false,
    });
  });
});

describe('sortContacts', () => {
  it('lists available contacts first, then by nickname', () => {
    const sorted = sortContacts([
      peer('Zoe'),
      peer('Bob', 'busy'),
      peer('Ada'),
      peer('Cy', 'available', 'reconnecting'),
    ]);
    expect(sorted.map((p) => p.metadata.nickname)).toEqual(['Ada', 'Zoe', 'Bob', 'Cy']);
  });
});

describe('initials', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initials('ada byron lovelace')).toBe('AL');
  });

  it('takes one letter of a single word, including non-Latin ones', () => {
    expect(initials('émile')).toBe('É');
  });
});
