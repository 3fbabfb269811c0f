import { describe, expect, it } from 'vitest';
import { ownTransportMids } from './own-transport-mids.js';

const section = (kind: string, port: number, mid: string, extra = ''): string =>
  `m=${kind} ${port} UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:${mid}\r\n${extra}`;
const sdp = (...sections: string[]): string => `v=0\r\na=group:BUNDLE 0 1 2\r\n${sections.join('')}`;

describe('ownTransportMids', () => {
  it('lists every active m-section of a balanced first offer', () => {
    const offer = sdp(section('audio', 9, '0'), section('video', 9, '1'), section('application', 9, '2'));
    expect([...ownTransportMids(offer)]).toEqual(['0', '1', '2']);
  });

  it('leaves out bundle-only and rejected m-sections', () => {
    const offer = sdp(
      section('audio', 9, '0'),
      section('video', 0, '1', 'a=bundle-only\r\n'),
      section('video', 0, '2'),
    );
    expect([...ownTransportMids(offer)]).toEqual(['0']);
  });

  it('is empty for a description without m-sections', () => {
    expect(ownTransportMids('v=0\r\n').size).toBe(0);
  });
});
