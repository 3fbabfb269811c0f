/**
 * A `SignalChannel` for serverless mode: the signals are codes that people copy and paste. With a link in
 * non-trickle mode (`iceMode: 'complete'`) each side produces exactly one description holding every
 * candidate, so one code each way is enough: the offerer shows its code, the answerer pastes it and shows
 * its own, the offerer pastes that.
 *
 * The offerer is impolite and the answerer polite, so a PeerManager on each side behaves exactly as it does
 * through the broker.
 *
 * @example
 * // Offerer
 * const signals = new ManualSignalChannel('offerer');
 * const peers = new PeerManager({ signals, iceMode: 'complete' });
 * peers.connect(signals.remoteId).channel('chat');
 * show(await signals.nextCode());
 * signals.acceptCode(await askForAnswer());
 * // Answerer
 * const signals = new ManualSignalChannel('answerer');
 * const peers = new PeerManager({ signals, iceMode: 'complete' });
 * signals.acceptCode(pastedOffer);
 * show(await signals.nextCode());
 */
import type { IceServer } from '@switchboard/protocol';
import type { SignalChannel } from '../peer/signal-channel.js';
import { parsePeerSignal } from '../peer/peer-signal.js';
import { TypedEmitter } from '../peer/typed-emitter.js';
import { decodeManualCode, encodeManualCode } from './manual-codec.js';

/** Which side of a copy/paste connection this is. */
export type ManualRole = 'offerer' | 'answerer';

interface ManualEvents {
  code: (code: string) => void;
  signal: (from: string, data: unknown) => void;
}

/** Carries one offer and one answer as copy/paste codes. */
export class ManualSignalChannel implements SignalChannel {
  /** This side's role. */
  readonly role: ManualRole;
  /** The id the remote side has in the PeerManager (pass it to `connect()`). */
  readonly remoteId: string;
  readonly selfId: string;
  readonly iceServers: readonly IceServer[];
  /** One code each way: a restart offer would have no way across (and no person to carry it). */
  readonly canRenegotiate = false;
  readonly #events = new TypedEmitter<ManualEvents>();
  readonly #codes: string[] = [];

  /** @param iceServers STUN/TURN servers to use, if any (there is no broker to hand them out). */
  constructor(role: ManualRole, iceServers: readonly IceServer[] = []) {
    this.role = role;
    this.selfId = role === 'offerer' ? 'manual-offerer' : 'manual-answerer';
    this.remoteId = role === 'offerer' ? 'manual-answerer' : 'manual-offerer';
    this.iceServers = iceServers;
  }

  /** Called by the link with its description: turned into a code for the person to copy. */
  send(_to: string, data: unknown): Promise<void> {
    const signal = parsePeerSignal(data);
    // Only complete descriptions travel; trickled candidates and bye have no way across in this mode.
    if (signal?.k === 'sdp') {
      const code = encodeManualCode({ type: signal.t, sdp: signal.s });
      this.#codes.push(code);
      this.#events.emit('code', code);
    }
    return Promise.resolve();
  }

  /** Resolves with the next code this side produces (its offer or answer). */
  nextCode(): Promise<string> {
    const ready = this.#codes.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const off = this.#events.on('code', () => {
        const code = this.#codes.shift();
        if (code === undefined) return;
        off();
        resolve(code);
      });
    });
  }

  /**
   * Feeds the code pasted from the other side. Throws `MANUAL_CODE_INVALID` when it is corrupted or of the
   * wrong kind (the offerer expects an answer, the answerer an offer).
   */
  acceptCode(text: string): void {
    const { type, sdp } = decodeManualCode(text, this.role === 'offerer' ? 'answer' : 'offer');
    this.#events.emit('signal', this.remoteId, { sb: 1, k: 'sdp', t: type, s: sdp });
  }

  onSignal(listener: (from: string, data: unknown) => void): () => void {
    return this.#events.on('signal', listener);
  }

  onIceServers(): () => void {
    return () => undefined;
  }

  isPolite(): boolean {
    return this.role === 'answerer';
  }

  close(): Promise<void> {
    this.#events.clear();
    return Promise.resolve();
  }
}
