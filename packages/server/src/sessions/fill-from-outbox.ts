/**
 * Filling a gap in what a session's socket was sent, from the durable outbox: after a resume, and when a
 * wake-up skipped frames (or frames were appended while no socket was here). This is the slow path beside
 * `LocalSession.push`, which sends woken frames as they come; reading the outbox again is what makes lost
 * or duplicated wake-ups safe (local-session.ts, first invariant).
 *
 * Concurrent fills coalesce: a fill asked for while one runs makes the running one read once more, so at
 * most one outbox read per session is in flight. The state lives in one field of the session, so a session
 * costs no extra object for it (idle sessions are many).
 */
import type { LocalSession } from './local-session.js';
import type { SessionHost } from './session-host.js';

/** `filling`: a fill runs; `again`: frames were woken while it read, so it makes one more pass. */
export type FillState = 'idle' | 'filling' | 'again';

/**
 * Send every outbox frame of `session` after its `lastSentSeq`. Never rejects: a bus failure is reported
 * to the host, and the next wake-up or resume fills again.
 */
export async function fillFromOutbox(session: LocalSession, host: SessionHost): Promise<void> {
  if (session.fillState !== 'idle') {
    session.fillState = 'again';
    return;
  }
  try {
    do {
      session.fillState = 'filling';
      const socket = session.socket;
      if (socket === undefined) return;
      const frames = await host.bus.readOutbox(session.sessionId, session.lastSentSeq);
      for (const frame of frames) {
        if (session.socket !== socket) return; // the socket changed while we read
        if (frame.seq <= session.lastSentSeq) continue;
        session.sendNext(socket, frame);
      }
    } while (isFillRequested(session)); // frames were woken while we read
  } catch (error) {
    host.onTaskError(session, error);
  } finally {
    session.fillState = 'idle';
  }
}

/** Read through a call, so that the check is not narrowed away by the assignment before the `await`. */
function isFillRequested(session: LocalSession): boolean {
  return session.fillState === 'again';
}
