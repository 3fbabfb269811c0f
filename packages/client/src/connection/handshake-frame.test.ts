import { PROTOCOL_VERSION } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { handshakeFrame } from './handshake-frame.js';

describe('handshakeFrame', () => {
  it('says hello without a session, with the token only when there is one', () => {
    expect(handshakeFrame(undefined, 0, undefined)).toEqual({ type: 'hello', v: PROTOCOL_VERSION });
    expect(handshakeFrame(undefined, 0, 't')).toEqual({ type: 'hello', v: PROTOCOL_VERSION, token: 't' });
  });

  it('resumes a known session from the last processed seq', () => {
    expect(handshakeFrame({ sessionId: 's', resumeSecret: 'r' }, 41, undefined)).toEqual({
      type: 'resume',
      v: PROTOCOL_VERSION,
      sessionId: 's',
      resumeSecret: 'r',
      lastSeq: 41,
    });
  });
});
