/**
 * @switchboard/client: the Switchboard SDK for browsers and Node.
 * Each layer adds its exports below with explicit named exports (no `export *`).
 */
export { SignalingClient } from './connection/signaling-client.js';
export type { SignalingClientOptions, TokenSource } from './connection/signaling-client-options.js';
export type {
  ConnectionState,
  JoinOptions,
  RoomSnapshot,
  SignalingClientEvents,
} from './connection/signaling-client-events.js';
export type { DroppedClientSignal } from './connection/signal-inbox.js';
export type { EarlyDropReason } from './connection/early-signal-buffer.js';
export { ExponentialBackoffPolicy } from './connection/reconnect-policy.js';
export type {
  ReconnectPolicy,
  ReconnectContext,
  ExponentialBackoffPolicyOptions,
} from './connection/reconnect-policy.js';
export { exponentialBackoffWithFullJitter } from './connection/backoff.js';
export type { BackoffOptions } from './connection/backoff.js';
export type { WebSocketLike, WebSocketConstructor } from './connection/web-socket-like.js';
export type { Unsubscribe } from './connection/typed-event-emitter.js';
export { SwitchboardError } from '@switchboard/protocol';
export type {
  ErrorCode,
  PeerInfo,
  PeerMetadata,
  PeerMetadataPatch,
  IceServer,
  Limits,
  LeftReason,
} from '@switchboard/protocol';
// Peer layer: links, perfect negotiation, channels, file transfer (peer/, data/).
export { PeerManager } from './peer/peer-manager.js';
export type { PeerManagerOptions, RTCPeerConnectionConstructor } from './peer/peer-manager-options.js';
export type { PeerManagerEvents, CallSignal, DroppedSignal } from './peer/peer-manager-events.js';
export { PeerLink } from './peer/peer-link.js';
export type { PeerLinkEvents, PeerLinkState, LinkCloseReason } from './peer/peer-link-events.js';
export { PEER_LINK_DEFAULTS } from './peer/peer-link-options.js';
export type { PeerLinkOptions } from './peer/peer-link-options.js';
export { signalChannelFromClient, politeByPeerId } from './peer/signal-channel.js';
export type { SignalChannel, SignalingClientLike } from './peer/signal-channel.js';
export { BackoffIceRestartPolicy } from './peer/ice-restart-policy.js';
export type {
  IceRestartPolicy,
  IceRestartContext,
  IceRestartReason,
  BackoffIceRestartPolicyOptions,
} from './peer/ice-restart-policy.js';
export type { LinkStats, CandidateType } from './peer/link-stats.js';
export type { PeerSignal, CallOp, LinkIds } from './peer/peer-signal.js';
export { SDP_CODEC, packSdp, unpackSdp } from './peer/sdp-codec.js';
export { SDK_FEATURES, SDK_FEATURES_KEY } from './connection/sdk-features.js';
export { PeerChannel } from './data/peer-channel.js';
export type { PeerChannelEvents } from './data/peer-channel.js';
export type { ChannelInit } from './data/channel-registry.js';
export type { ChannelMessage } from './data/message-framing.js';
export { FlowControlledDataChannel, FLOW_CONTROL_DEFAULTS } from './data/flow-controlled-data-channel.js';
export type {
  FlowControlOptions,
  FlowControlledDataChannelEvents,
} from './data/flow-controlled-data-channel.js';
export { OutgoingFileTransfer } from './data/outgoing-file-transfer.js';
export type { FileTransferEvents } from './data/outgoing-file-transfer.js';
export { IncomingFileTransfer } from './data/incoming-file-transfer.js';
export type { TransferProgress } from './data/transfer-protocol.js';
export { fileSourceFromBlob, fileSourceFromStream } from './data/file-source.js';
export type { FileSource, StreamFileInfo } from './data/file-source.js';
export { blobFileSink, fileSinkFromWritableStream } from './data/file-sink.js';
export type { FileSink, BlobFileSink } from './data/file-sink.js';
export { fileSourceFromPath, fileSinkToPath } from './data/node-file.js';
export { encodeManualCode, decodeManualCode } from './manual/manual-codec.js';
export type { ManualDescription } from './manual/manual-codec.js';
export { ManualSignalChannel } from './manual/manual-signal-channel.js';
export type { ManualRole } from './manual/manual-signal-channel.js';
export { CallController } from './call/call-controller.js';
export type { CallControllerOptions, CallControllerEvents } from './call/call-controller.js';
export { Call } from './call/call.js';
export type { CallEvents } from './call/call.js';
export type { CallPhase, CallEndReason, CallDirection } from './call/call-state.js';
