import { describe, expect, it } from 'vitest';
import { nextCallState } from './call-state.js';

describe('call state machine', () => {
  it('runs an outgoing call through ringing to active to a local hangup, telling the other side', () => {
    expect(nextCallState('calling', 'outgoing', { source: 'remote', op: 'ringing' })).toEqual({
      phase: 'ringing',
    });
    expect(nextCallState('ringing', 'outgoing', { source: 'remote', op: 'accept' })).toEqual({
      phase: 'active',
    });
    expect(nextCallState('active', 'outgoing', { source: 'local', op: 'hangup' })).toEqual({
      phase: 'ended',
      send: 'hangup',
      endReason: 'hangup',
    });
  });

  it('ends an unanswered outgoing call on the ring timer and tells the callee', () => {
    expect(nextCallState('ringing', 'outgoing', { source: 'timer' })).toEqual({
      phase: 'ended',
      send: 'timeout',
      endReason: 'no-answer',
    });
    expect(nextCallState('incoming', 'incoming', { source: 'remote', op: 'timeout' })).toEqual({
      phase: 'ended',
      endReason: 'no-answer',
    });
    expect(nextCallState('incoming', 'incoming', { source: 'timer' })).toBeUndefined();
  });

  it('maps the callee refusals to end reasons on the caller', () => {
    expect(nextCallState('calling', 'outgoing', { source: 'remote', op: 'decline' })?.endReason).toBe(
      'declined',
    );
    expect(nextCallState('ringing', 'outgoing', { source: 'remote', op: 'busy' })?.endReason).toBe('busy');
    expect(nextCallState('incoming', 'incoming', { source: 'remote', op: 'cancel' })?.endReason).toBe(
      'cancelled',
    );
  });

  it('turns a hangup before answering into cancel (caller) or decline (callee)', () => {
    expect(nextCallState('calling', 'outgoing', { source: 'local', op: 'hangup' })).toMatchObject({
      send: 'cancel',
    });
    expect(nextCallState('incoming', 'incoming', { source: 'local', op: 'hangup' })).toMatchObject({
      send: 'decline',
    });
  });

  it('ignores everything once ended, and ops that do not apply', () => {
    expect(nextCallState('ended', 'outgoing', { source: 'remote', op: 'accept' })).toBeUndefined();
    expect(nextCallState('active', 'outgoing', { source: 'remote', op: 'accept' })).toBeUndefined();
    expect(nextCallState('incoming', 'incoming', { source: 'local', op: 'cancel' })).toBeUndefined();
    expect(nextCallState('active', 'incoming', { source: 'remote', op: 'hangup' })?.endReason).toBe(
      'remote-hangup',
    );
  });
});
