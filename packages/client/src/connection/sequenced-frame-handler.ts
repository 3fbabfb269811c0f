/**
 * Applies sequenced server frames (presence, relayed signals, request errors) to the client's state and
 * turns them into events. The caller has already put them in order and dropped duplicates, so every frame
 * here is applied exactly once.
 */
import type { ErrorMessage, SequencedServerMessage } from '@switchboard/protocol';
import type { PresenceCache } from './presence-cache.js';
import type { RequestTracker, TrackedFrame } from './request-tracker.js';
import type { RoomSnapshot, SignalingClientEvents } from './signaling-client-events.js';
import type { SignalInbox } from './signal-inbox.js';
import type { TypedEventEmitter } from './typed-event-emitter.js';
import { featuresOf, peerWithoutFeatures, withoutFeatures } from './sdk-features.js';
import { errorFromWire } from './wire-error.js';

/** A frame that carries a seq (an `error` has one when it answers a request). */
export type SequencedFrame = SequencedServerMessage | (ErrorMessage & { seq: number });

/** What the handler works on. */
export interface SequencedFrameHandlerParts {
  readonly presence: PresenceCache;
  readonly tracker: RequestTracker;
  readonly events: TypedEventEmitter<SignalingClientEvents>;
  /** Where relayed signals go: to the listeners, or held until one subscribes. */
  readonly signals: SignalInbox;
}

/** Dispatches sequenced frames. */
export class SequencedFrameHandler {
  readonly #parts: SequencedFrameHandlerParts;

  constructor(parts: SequencedFrameHandlerParts) {
    this.#parts = parts;
  }

  /** Apply one in-order, first-time frame. */
  handle(frame: SequencedFrame): void {
    const { presence, tracker, events } = this.#parts;
    switch (frame.type) {
      case 'roster': {
        // The SDK's own key is taken out of every metadata here (sdk-features.ts): the app never sees it.
        const { room, maxPeers } = frame;
        const self = { peerId: frame.self.peerId, metadata: withoutFeatures(frame.self.metadata) };
        const peers = frame.peers.map(peerWithoutFeatures);
        const features = new Map<string, ReadonlySet<string>>();
        for (const peer of frame.peers) {
          const advertised = featuresOf(peer.metadata);
          if (advertised.size > 0) features.set(peer.peerId, advertised);
        }
        presence.applyRoster(room, self.metadata, peers, maxPeers, features);
        const snapshot: RoomSnapshot =
          maxPeers === undefined ? { room, self, peers } : { room, self, peers, maxPeers };
        tracker.resolve(frame.ref, snapshot);
        events.emit('roster', snapshot);
        return;
      }
      case 'peer-joined': {
        const peer = peerWithoutFeatures(frame.peer);
        presence.applyPeer(frame.room, peer, featuresOf(frame.peer.metadata));
        events.emit('peer-joined', frame.room, peer);
        return;
      }
      case 'peer-updated': {
        const peer = peerWithoutFeatures(frame.peer);
        presence.applyPeer(frame.room, peer, featuresOf(frame.peer.metadata));
        events.emit('peer-updated', frame.room, peer);
        return;
      }
      case 'peer-left':
        presence.removePeer(frame.room, frame.peerId);
        events.emit('peer-left', frame.room, frame.peerId, frame.reason);
        return;
      case 'left':
        presence.removeRoom(frame.room);
        if (frame.ref !== undefined) tracker.resolve(frame.ref, undefined);
        events.emit('left', frame.room, frame.reason);
        return;
      case 'signal':
        this.#parts.signals.deliver(frame.from, frame.data);
        return;
      case 'error': {
        const error = errorFromWire(frame.code, frame.message, frame.ref);
        // An error for a request that already settled (or none) still deserves to be heard.
        if (frame.ref === undefined || tracker.reject(frame.ref, error) === undefined)
          events.emit('error', error);
        return;
      }
    }
  }

  /** A request settled by an ack: apply what the server has now accepted. */
  applySettled(frame: TrackedFrame): void {
    if (frame.type === 'update')
      this.#parts.presence.applySelfPatch(withoutFeatures(frame.metadata), frame.room);
  }
}
