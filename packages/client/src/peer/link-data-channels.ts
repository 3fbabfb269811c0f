/**
 * The data side of one link: its named channels and its file transfers, each on an RTCDataChannel of the
 * link's connection. A channel the remote side opens is routed by its label: a transfer channel
 * (`sbf:` prefix) becomes an incoming file, any other joins the named channel of the same name.
 */
import { acceptTransferChannel } from '../data/accept-transfer-channel.js';
import { ChannelRegistry, type ChannelInit } from '../data/channel-registry.js';
import type { FileSource } from '../data/file-source.js';
import type { IncomingFileTransfer } from '../data/incoming-file-transfer.js';
import { OutgoingFileTransfer } from '../data/outgoing-file-transfer.js';
import type { PeerChannel } from '../data/peer-channel.js';
import { TRANSFER_LABEL_PREFIX, transferChunkBytes } from '../data/transfer-protocol.js';
import type { ResolvedPeerLinkOptions } from './peer-link-options.js';
import { randomId } from './random-id.js';

/** What the data side of a link is built from. */
export interface LinkDataChannelsInit {
  readonly pc: RTCPeerConnection;
  readonly isPolite: boolean;
  readonly options: ResolvedPeerLinkOptions;
  /** A named channel the remote side opened first. */
  readonly onChannel: (channel: PeerChannel) => void;
  /** A file the remote side offers; returns false when nobody takes it (it is then declined). */
  readonly onFile: (transfer: IncomingFileTransfer) => boolean;
}

/** Named channels and file transfers of one RTCPeerConnection. */
export class LinkDataChannels {
  readonly #pc: RTCPeerConnection;
  readonly #init: LinkDataChannelsInit;
  readonly #channels: ChannelRegistry;

  constructor(init: LinkDataChannelsInit) {
    const { pc, isPolite, options } = init;
    this.#pc = pc;
    this.#init = init;
    this.#channels = new ChannelRegistry(pc, isPolite, {
      ...options.flowControl,
      maxMessageBytes: options.maxMessageBytes,
      maxFrameBytes: () => transferChunkBytes(pc.sctp?.maxMessageSize ?? undefined),
    });
    pc.addEventListener('datachannel', (event) => this.#onDataChannel(event.channel));
  }

  /** Named channels now open. */
  get list(): PeerChannel[] {
    return this.#channels.list;
  }

  /** The channel called `name`, opened on first use. */
  open(name: string, init: ChannelInit): PeerChannel {
    return this.#channels.open(name, init);
  }

  /** Sends a file on a channel of its own. */
  sendFile(source: FileSource): OutgoingFileTransfer {
    const { options } = this.#init;
    const id = randomId(9);
    const channel = this.#pc.createDataChannel(`${TRANSFER_LABEL_PREFIX}${id}`, { ordered: true });
    return new OutgoingFileTransfer(id, channel, source, {
      ...options.flowControl,
      chunkBytes: transferChunkBytes(this.#pc.sctp?.maxMessageSize ?? undefined),
      windowBytes: options.transferWindowBytes,
    });
  }

  /** Closes every named channel (the link is closing). */
  closeAll(): void {
    this.#channels.closeAll();
  }

  #onDataChannel(raw: RTCDataChannel): void {
    if (raw.label.startsWith(TRANSFER_LABEL_PREFIX)) {
      const { flowControl, transferAckEveryBytes } = this.#init.options;
      acceptTransferChannel(raw, { flowControl, ackEveryBytes: transferAckEveryBytes }, (transfer) => {
        if (!this.#init.onFile(transfer)) transfer.decline();
      });
      return;
    }
    const channel = this.#channels.adopt(raw);
    if (channel !== undefined) this.#init.onChannel(channel);
  }
}
