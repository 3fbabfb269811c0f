/**
 * The call state machine, pure: (phase, direction, event) -> next phase, what to send, why it ended.
 *
 * Invariants:
 * - `ended` is final; every event after it is ignored (a late `accept` after `cancel` changes nothing).
 * - Every end is seen by the other side: each local end sends an op (cancel, timeout, decline, hangup),
 *   and each remote op ends the call here. PeerJS misses hangups and unanswered declines (peers.md §5
 *   item 4) because it infers them from the media connection; we say them explicitly.
 * - Only the caller's ring timer ends an unanswered call, and it tells the callee (`timeout`), so both
 *   sides agree on "no answer" instead of racing two timers.
 *
 *   outgoing: calling --ringing--> ringing --accept--> active --hangup--> ended
 *   incoming: incoming --accept--> active --hangup--> ended
 */
import type { CallOp } from '../peer/peer-signal.js';

/** Where a call is. */
export type CallPhase = 'calling' | 'ringing' | 'incoming' | 'active' | 'ended';

/** Why a call ended. `hangup` = this side hung up; `remote-hangup` = the other side did. */
export type CallEndReason =
  'declined' | 'busy' | 'cancelled' | 'no-answer' | 'hangup' | 'remote-hangup' | 'failed';

/** Who started the call. */
export type CallDirection = 'outgoing' | 'incoming';

/** Something that happens to a call. */
export type CallEvent =
  | { readonly source: 'remote'; readonly op: CallOp }
  | { readonly source: 'local'; readonly op: 'accept' | 'decline' | 'cancel' | 'hangup' }
  | { readonly source: 'timer' }
  | { readonly source: 'failure' };

/** The outcome of one event. */
export interface CallTransition {
  readonly phase: CallPhase;
  /** The op to send to the other side, if any. */
  readonly send?: CallOp;
  /** Set when the call ended with this event. */
  readonly endReason?: CallEndReason;
}

const isRinging = (phase: CallPhase): boolean => phase === 'calling' || phase === 'ringing';

/** Applies `event`; returns `undefined` when the event does not apply in this phase (ignored). */
export function nextCallState(
  phase: CallPhase,
  direction: CallDirection,
  event: CallEvent,
): CallTransition | undefined {
  if (phase === 'ended') return undefined;
  if (event.source === 'failure') return { phase: 'ended', endReason: 'failed', send: 'hangup' };
  if (event.source === 'timer') {
    return direction === 'outgoing' && isRinging(phase)
      ? { phase: 'ended', send: 'timeout', endReason: 'no-answer' }
      : undefined;
  }
  if (event.source === 'local') {
    switch (event.op) {
      case 'accept':
        return phase === 'incoming' ? { phase: 'active', send: 'accept' } : undefined;
      case 'decline':
        return phase === 'incoming' ? { phase: 'ended', send: 'decline', endReason: 'declined' } : undefined;
      case 'cancel':
        return isRinging(phase) ? { phase: 'ended', send: 'cancel', endReason: 'cancelled' } : undefined;
      case 'hangup':
        if (phase === 'active') return { phase: 'ended', send: 'hangup', endReason: 'hangup' };
        if (isRinging(phase)) return { phase: 'ended', send: 'cancel', endReason: 'cancelled' };
        return { phase: 'ended', send: 'decline', endReason: 'declined' };
    }
  }
  switch (event.op) {
    case 'ringing':
      return phase === 'calling' ? { phase: 'ringing' } : undefined;
    case 'accept':
      return isRinging(phase) ? { phase: 'active' } : undefined;
    case 'decline':
      return isRinging(phase) ? { phase: 'ended', endReason: 'declined' } : undefined;
    case 'busy':
      return isRinging(phase) ? { phase: 'ended', endReason: 'busy' } : undefined;
    case 'cancel':
      return phase === 'incoming' ? { phase: 'ended', endReason: 'cancelled' } : undefined;
    case 'timeout':
      return phase === 'incoming' ? { phase: 'ended', endReason: 'no-answer' } : undefined;
    case 'hangup':
      return { phase: 'ended', endReason: 'remote-hangup' };
    case 'invite':
      return undefined;
  }
}
