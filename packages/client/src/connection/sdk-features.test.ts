import type { PeerInfo } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { SDP_CODEC } from '../peer/sdp-codec.js';
import {
  SDK_FEATURES_KEY,
  advertiseFeatures,
  advertiseFeaturesInPatch,
  featuresOf,
  peerWithoutFeatures,
  withoutFeatures,
} from './sdk-features.js';

describe('SDK features in presence metadata', () => {
  it('advertises the SDP codec in every join, beside the app’s own extra fields', () => {
    expect(advertiseFeatures({ nickname: 'ada' })).toEqual({
      nickname: 'ada',
      extra: { [SDK_FEATURES_KEY]: SDP_CODEC },
    });
    expect(advertiseFeatures({ nickname: 'ada', extra: { team: 'red', $sb: 'forged' } })).toEqual({
      nickname: 'ada',
      extra: { team: 'red', [SDK_FEATURES_KEY]: SDP_CODEC },
    });
  });

  it('adds the key to a patch only when the patch replaces extra', () => {
    const statusOnly = { status: 'busy' as const };
    expect(advertiseFeaturesInPatch(statusOnly)).toBe(statusOnly);
    expect(advertiseFeaturesInPatch({ extra: {} })).toEqual({ extra: { [SDK_FEATURES_KEY]: SDP_CODEC } });
  });

  it('reads the advertised tokens, and nothing from a missing or malformed key', () => {
    expect([...featuresOf(advertiseFeatures({ nickname: 'ada' }))]).toEqual([SDP_CODEC]);
    expect([...featuresOf({ nickname: 'a', extra: { $sb: 'z1,z2,future-thing' } })]).toEqual([
      'z1',
      'z2',
      'future-thing',
    ]);
    expect(featuresOf({ nickname: 'a' }).size).toBe(0);
    expect(featuresOf({ nickname: 'a', extra: { $sb: ['z1'] } }).size).toBe(0);
    expect(featuresOf({ nickname: 'a', extra: { $sb: 'Z1,<script>,' + 'x'.repeat(17) } }).size).toBe(0);
    // At most eight tokens are read, however long the list.
    expect(featuresOf({ nickname: 'a', extra: { $sb: Array(20).fill('z1').join(',') } }).size).toBe(1);
    expect(
      featuresOf({
        nickname: 'a',
        extra: { $sb: 'a1,a2,a3,a4,a5,a6,a7,a8,a9' },
      }).has('a9'),
    ).toBe(false);
  });

  it('takes the key out of received metadata, dropping an extra it leaves empty', () => {
    expect(withoutFeatures(advertiseFeatures({ nickname: 'ada', status: 'away' }))).toEqual({
      nickname: 'ada',
      status: 'away',
    });
    expect(withoutFeatures({ nickname: 'ada', extra: { team: 'red', $sb: 'z1' } })).toEqual({
      nickname: 'ada',
      extra: { team: 'red' },
    });
    const untouched = { nickname: 'ada', extra: { team: 'red' } };
    expect(withoutFeatures(untouched)).toBe(untouched);
    expect(withoutFeatures({ extra: { $sb: 'z1' } })).toEqual({});
  });

  it('returns the same peer object when there is nothing to take out', () => {
    const plain: PeerInfo = { peerId: 'p', metadata: { nickname: 'old' }, state: 'online', polite: true };
    expect(peerWithoutFeatures(plain)).toBe(plain);
    const advertised: PeerInfo = { ...plain, metadata: advertiseFeatures(plain.metadata) };
    expect(peerWithoutFeatures(advertised)).toEqual(plain);
  });
});
