/**
 * A Node WebRTC peer for tests and examples: a real SignalingClient (over `ws`) connected to a real
 * server, a PeerManager on `@roamhq/wrtc`, and a CallController that publishes busy/available presence.
 */
import { WebSocket } from 'ws';
import {
  CallController,
  PeerManager,
  SignalingClient,
  signalChannelFromClient,
  type PeerLinkOptions,
  type PeerManagerOptions,
  type SignalChannel,
} from '@switchboard/client';
import { WrtcPeerConnection } from './wrtc.js';

/** Options of `createNodePeer`. */
export interface NodePeerOptions
  extends
    PeerLinkOptions,
    Pick<PeerManagerOptions, 'maxEarlySignals' | 'maxEarlySignalAgeMs' | 'packSignals'> {
  /** The server's WebSocket URL. */
  readonly url: string;
  /** Room to join. */
  readonly room: string;
  /** Nickname in the room. */
  readonly nickname: string;
  /** @default false */
  readonly leaveBrokerWhenConnected?: PeerManagerOptions['leaveBrokerWhenConnected'];
  /** @default 30000 */
  readonly ringTimeoutMs?: number;
  /** Wraps the signal channel, e.g. to lose or delay chosen envelopes in a test. */
  readonly wrapSignals?: (signals: SignalChannel) => SignalChannel;
  /** The peer connection class, e.g. a wrapped one. @default wrtc's RTCPeerConnection */
  readonly RTCPeerConnection?: PeerManagerOptions['RTCPeerConnection'];
}

/** A connected Node peer. */
export interface NodePeer {
  readonly peerId: string;
  readonly client: SignalingClient;
  readonly peers: PeerManager;
  readonly calls: CallController;
  /** Closes links, calls and the signaling client. */
  close(): Promise<void>;
}

/** Connects a Node peer to the server and joins `room`. */
export async function createNodePeer(options: NodePeerOptions): Promise<NodePeer> {
  const {
    url,
    room,
    nickname,
    leaveBrokerWhenConnected,
    ringTimeoutMs,
    wrapSignals,
    RTCPeerConnection,
    ...linkOptions
  } = options;
  const client = new SignalingClient({ url, WebSocket });
  await client.connect();
  await client.join(room, { nickname });
  const peerId = client.peerId;
  if (peerId === undefined) throw new Error('connected without a peer id');
  const peers = new PeerManager({
    ...linkOptions,
    signals:
      wrapSignals === undefined
        ? signalChannelFromClient(client)
        : wrapSignals(signalChannelFromClient(client)),
    RTCPeerConnection: RTCPeerConnection ?? WrtcPeerConnection,
    leaveBrokerWhenConnected: leaveBrokerWhenConnected ?? false,
  });
  const calls = new CallController({
    peers,
    ringTimeoutMs: ringTimeoutMs ?? 30_000,
    publishStatus: (status) => client.updateMetadata({ status }),
  });
  return {
    peerId,
    client,
    peers,
    calls,
    close: async () => {
      calls.close();
      peers.close();
      await client.close();
    },
  };
}
