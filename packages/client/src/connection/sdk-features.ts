/**
 * What this SDK can read from another SDK, told to the peers it shares a room with: one reserved key in the
 * room metadata's `extra`, added to every join and every `extra` this client sends, and taken out of every
 * metadata it receives, so the app never sees it (ADR 0021).
 *
 * Why the metadata: the sender of a link's first offer must know, before it sends anything, whether the
 * other SDK can read a packed description, and presence is the only thing both sides have by then. The
 * server stays content-agnostic (it stores `extra` as it stores any app field), so this works with any
 * server version; an older SDK sees the key as an ordinary `extra` field and advertises nothing, so it is
 * sent plain descriptions.
 */
import type { PeerInfo, PeerMetadata, PeerMetadataPatch } from '@switchboard/protocol';
import { SDP_CODEC } from '../peer/sdp-codec.js';

/** The reserved key in `extra`. Its value lists feature tokens, comma-separated (`"z1"`). */
export const SDK_FEATURES_KEY = '$sb';

/** The features this SDK advertises: it reads descriptions packed with `SDP_CODEC`. */
export const SDK_FEATURES: readonly string[] = Object.freeze([SDP_CODEC]);

const ADVERTISED = SDK_FEATURES.join(',');
/** Feature tokens are short and plain; anything else in the key is ignored, never trusted. */
const TOKEN = /^[a-z0-9-]{1,16}$/;
const MAX_TOKENS = 8;
const NO_FEATURES: ReadonlySet<string> = new Set();

/** `metadata` as sent in a join: with this SDK's features in `extra`. */
export function advertiseFeatures(metadata: PeerMetadata): PeerMetadata {
  return { ...metadata, extra: { ...metadata.extra, [SDK_FEATURES_KEY]: ADVERTISED } };
}

/** A metadata patch as sent: an `extra` replaces the stored one whole, so it must carry the features too. */
export function advertiseFeaturesInPatch(patch: PeerMetadataPatch): PeerMetadataPatch {
  return patch.extra === undefined
    ? patch
    : { ...patch, extra: { ...patch.extra, [SDK_FEATURES_KEY]: ADVERTISED } };
}

/** The feature tokens a received metadata advertises (none from an older SDK or a malformed value). */
export function featuresOf(metadata: PeerMetadata | PeerMetadataPatch): ReadonlySet<string> {
  const value = metadata.extra?.[SDK_FEATURES_KEY];
  if (typeof value !== 'string') return NO_FEATURES;
  const tokens = value.split(',', MAX_TOKENS).filter((token) => TOKEN.test(token));
  return tokens.length === 0 ? NO_FEATURES : new Set(tokens);
}

/**
 * `metadata` without the reserved key, as the app sees it. An `extra` left empty by that is dropped: the
 * SDK added it to a metadata that had none (an app's own empty `extra` reads the same as none).
 */
export function withoutFeatures<M extends PeerMetadata | PeerMetadataPatch>(metadata: M): M {
  const extra = metadata.extra;
  if (extra === undefined || !Object.hasOwn(extra, SDK_FEATURES_KEY)) return metadata;
  const { [SDK_FEATURES_KEY]: _features, ...rest } = extra;
  const copy = { ...metadata };
  if (Object.keys(rest).length === 0) delete copy.extra;
  else copy.extra = rest;
  return copy;
}

/** A peer as presence shows it, without the reserved key. */
export function peerWithoutFeatures(peer: PeerInfo): PeerInfo {
  const metadata = withoutFeatures(peer.metadata);
  return metadata === peer.metadata ? peer : { ...peer, metadata };
}
