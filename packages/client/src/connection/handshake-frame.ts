/**
 * The first frame on every socket: `resume` when there is a session to resume, else `hello`.
 */
import { PROTOCOL_VERSION, type HelloMessage, type ResumeMessage } from '@switchboard/protocol';

/** What a resume needs to prove and say. */
export interface ResumableSession {
  readonly sessionId: string;
  readonly resumeSecret: string;
}

/** Build the handshake frame. `lastSeq` is the last server seq processed, so the replay starts after it. */
export function handshakeFrame(
  session: ResumableSession | undefined,
  lastSeq: number,
  token: string | undefined,
): HelloMessage | ResumeMessage {
  const tokenField = token === undefined ? {} : { token };
  if (session === undefined) return { type: 'hello', v: PROTOCOL_VERSION, ...tokenField };
  return {
    type: 'resume',
    v: PROTOCOL_VERSION,
    sessionId: session.sessionId,
    resumeSecret: session.resumeSecret,
    lastSeq,
    ...tokenField,
  };
}
