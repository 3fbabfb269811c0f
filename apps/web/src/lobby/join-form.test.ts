import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/protocol';
import { describeJoinError, type JoinRequest } from './join-form.js';

const request: JoinRequest = { nickname: 'Zed', room: 'standup', group: true };

describe('describeJoinError', () => {
  it('puts a full group call next to the room field, naming the limit', () => {
    expect(describeJoinError(new SwitchboardError('ROOM_FULL', 'full'), request)).toEqual({
      field: 'room',
      message: 'The group call in “standup” is full (6 people at most). Try another room.',
    });
  });

  it('says a plain room is full without speaking of a call', () => {
    const plain = describeJoinError(new SwitchboardError('ROOM_FULL', 'full'), { ...request, group: false });
    expect(plain).toEqual({ field: 'room', message: 'Room “standup” is full. Try another room.' });
  });

  it('puts a taken nickname next to the nickname field', () => {
    const taken = describeJoinError(new SwitchboardError('NICKNAME_TAKEN', 'taken'), request);
    expect(taken.field).toBe('nickname');
    expect(taken.message).toContain('“Zed” is already taken');
  });

  it('treats anything else as the server being out of reach', () => {
    const other = describeJoinError(new Error('socket hang up'), request);
    expect(other.field).toBe('form');
    expect(other.message).toContain('socket hang up');
  });
});
