/**
 * Routes each server frame to the part of the client that owns it: the welcome to the session logic,
 * sequenced frames to `InboundFrames`, acks and unsequenced errors to `OutboundRequests`, and the rest to
 * events. A request ack may ride on any frame (its `ack` field); it is applied after the frame itself, since
 * an error that answers an acknowledged request always comes before, or in, the frame that carries the ack.
 */
import {
  parseServerMessage,
  type IceServer,
  type ServerMessage,
  type SwitchboardError,
  type WelcomeMessage,
} from '@switchboard/protocol';
import type { InboundFrames } from './inbound-frames.js';
import type { OutboundRequests } from './outbound-requests.js';
import type { SignalingClientEvents } from './signaling-client-events.js';
import type { TypedEventEmitter } from './typed-event-emitter.js';
import { errorFromWire } from './wire-error.js';

/** Where the router sends what it does not own. */
export interface ServerFrameRouterParts {
  readonly out: OutboundRequests;
  readonly inbound: InboundFrames;
  readonly events: TypedEventEmitter<SignalingClientEvents>;
  readonly onWelcome: (welcome: WelcomeMessage) => void;
  readonly onIceServers: (iceServers: readonly IceServer[]) => void;
  /** An error frame about the connection itself (it names no request): the socket's close may repeat it. */
  readonly onConnectionError: (error: SwitchboardError) => void;
  /** Reconnect (resume) after `delayMs`: the server is going away. */
  readonly reconnectAfter: (delayMs: number) => void;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
}

export class ServerFrameRouter {
  readonly #parts: ServerFrameRouterParts;

  constructor(parts: ServerFrameRouterParts) {
    this.#parts = parts;
  }

  /** Parse and apply one server frame; a malformed one becomes an `error` event. */
  route(text: string): void {
    let message: ServerMessage;
    try {
      message = parseServerMessage(text);
    } catch (error) {
      this.#parts.events.emit('error', error as SwitchboardError);
      return;
    }
    const ack = 'ack' in message ? message.ack : undefined;
    if (this.#apply(message) && ack !== undefined) this.#parts.out.ackUpTo(ack);
  }

  /** Apply one server frame; false when it was not (a seq gap: the socket is being replaced). */
  #apply(message: ServerMessage): boolean {
    const { out, inbound, events } = this.#parts;
    switch (message.type) {
      case 'welcome':
        this.#parts.onWelcome(message);
        return true;
      case 'ack':
        out.ackUpTo(message.id);
        return true;
      case 'pong':
        return true;
      case 'ice-servers':
        this.#parts.onIceServers(message.iceServers);
        events.emit('ice-servers', message.iceServers);
        return true;
      case 'server-going-away': {
        const { reason, reconnectInMs } = message;
        // The draining server waits for our acks before it closes: give them now, not after the delay.
        out.flushAcks();
        events.emit('server-going-away', { reason, reconnectInMs });
        // A little more spread on top of the server's, so one drained node's clients do not arrive together.
        const jitter = Math.floor(this.#parts.random() * Math.min(reconnectInMs / 2, 1000));
        this.#parts.reconnectAfter(reconnectInMs + jitter);
        return true;
      }
      case 'error':
        if (message.seq === undefined) {
          const error = errorFromWire(message.code, message.message, message.ref);
          if (message.ref === undefined) this.#parts.onConnectionError(error);
          else if (out.tracker.reject(message.ref, error) === undefined) events.emit('error', error);
          return true;
        }
        return inbound.sequenced({ ...message, seq: message.seq });
      default:
        return inbound.sequenced(message);
    }
  }
}
