/**
 * Serverless mode with Node peers: a real wrtc offer and answer travel as copy/paste codes only, and the
 * link comes up and carries a message. Corrupted codes are refused with MANUAL_CODE_INVALID.
 */
import { describe, expect, it } from 'vitest';
import { decodeManualCode, type ChannelMessage, type PeerLink } from '@switchboard/client';
import { createManualNodePeer } from '@switchboard/testing';

describe('manual signaling (wrtc)', () => {
  it('connects two peers with one offer code and one answer code, and no broker', async () => {
    const { signals: offerSide, peers: offerer } = createManualNodePeer('offerer');
    const { signals: answerSide, peers: answerer } = createManualNodePeer('answerer');
    try {
      const link = offerer.connect(offerSide.remoteId);
      const chat = link.channel('chat');
      const offerCode = await offerSide.nextCode();
      const offer = decodeManualCode(offerCode, 'offer');
      expect(offer.sdp).toContain('a=candidate:');
      expect(offer.sdp).toBe(link.pc.localDescription?.sdp);

      const mangled = offerCode.slice(0, 20) + (offerCode[20] === 'Q' ? 'R' : 'Q') + offerCode.slice(21);
      expect(() => answerSide.acceptCode(mangled)).toThrow(
        expect.objectContaining({ code: 'MANUAL_CODE_INVALID' }),
      );
      expect(() => answerSide.acceptCode(offerCode.slice(0, -10))).toThrow(
        expect.objectContaining({ code: 'MANUAL_CODE_INVALID' }),
      );

      const remote = new Promise<PeerLink>((resolve) => answerer.once('link', resolve));
      answerSide.acceptCode(offerCode);
      const answerCode = await answerSide.nextCode();
      expect(decodeManualCode(answerCode, 'answer').sdp).toBe((await remote).pc.localDescription?.sdp);
      expect(() => offerSide.acceptCode(offerCode)).toThrow(
        expect.objectContaining({ code: 'MANUAL_CODE_INVALID' }),
      );
      offerSide.acceptCode(answerCode);

      const answerLink = await remote;
      const got = new Promise<ChannelMessage>((resolve) =>
        answerLink.once('channel', (c) => c.once('message', resolve)),
      );
      await chat.send('pasted, not brokered');
      expect(await got).toEqual({ kind: 'text', text: 'pasted, not brokered' });
    } finally {
      offerer.close();
      answerer.close();
    }
  });
});
