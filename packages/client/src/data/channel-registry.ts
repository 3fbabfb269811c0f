/**
 * The named channels of one link: one PeerChannel per name, whether this side opened it or the remote
 * side did (or both at once, see PeerChannel). Names starting with `sbf:` are reserved for file transfers.
 */
import { SwitchboardError } from '@switchboard/protocol';
import { PeerChannel, type PeerChannelSettings } from './peer-channel.js';
import { TRANSFER_LABEL_PREFIX } from './transfer-protocol.js';

/** Options a channel can be opened with (the same on both sides is up to the app). */
export type ChannelInit = Pick<RTCDataChannelInit, 'ordered' | 'maxRetransmits' | 'maxPacketLifeTime'>;

/** Name -> PeerChannel for one RTCPeerConnection. */
export class ChannelRegistry {
  readonly #pc: RTCPeerConnection;
  readonly #isPolite: boolean;
  readonly #settings: PeerChannelSettings;
  readonly #channels = new Map<string, PeerChannel>();

  constructor(pc: RTCPeerConnection, isPolite: boolean, settings: PeerChannelSettings) {
    this.#pc = pc;
    this.#isPolite = isPolite;
    this.#settings = settings;
  }

  /** Every open channel. */
  get list(): PeerChannel[] {
    return [...this.#channels.values()];
  }

  /** The channel `name`, created locally on first use. */
  open(name: string, init: ChannelInit): PeerChannel {
    if (name.startsWith(TRANSFER_LABEL_PREFIX)) {
      throw new SwitchboardError(
        'INVALID_OPTIONS',
        `Channel names starting with "${TRANSFER_LABEL_PREFIX}" are reserved.`,
      );
    }
    const existing = this.#channels.get(name);
    if (existing !== undefined) return existing;
    const channel = this.#create(name);
    channel.attach(this.#pc.createDataChannel(name, init), true);
    return channel;
  }

  /** Attaches a remote-opened channel; returns its PeerChannel if it is new to this side. */
  adopt(raw: RTCDataChannel): PeerChannel | undefined {
    const existing = this.#channels.get(raw.label);
    const channel = existing ?? this.#create(raw.label);
    channel.attach(raw, false);
    return existing === undefined ? channel : undefined;
  }

  /** Closes every channel. */
  closeAll(): void {
    for (const channel of this.#channels.values()) channel.close();
    this.#channels.clear();
  }

  #create(name: string): PeerChannel {
    const channel = new PeerChannel(name, this.#isPolite, this.#settings);
    this.#channels.set(name, channel);
    channel.on('close', () => {
      if (this.#channels.get(name) === channel) this.#channels.delete(name);
    });
    return channel;
  }
}
