/**
 * @switchboard/protocol: the wire protocol of Switchboard. No I/O; shared by the server and the SDK.
 * See PROTOCOL.md for the semantics.
 */
export { PROTOCOL_VERSION, HELLO_QUERY_PARAMETER } from './version.js';
export { ERROR_CODES, CLOSE_CODES, isErrorCode } from './error-codes.js';
export type { ErrorCode } from './error-codes.js';
export { SwitchboardError } from './switchboard-error.js';
export { decodeClientMessage, DEFAULT_MAX_FRAME_BYTES, MAX_NESTING_DEPTH } from './decode-client-message.js';
export type { DecodeResult, DecodeOptions } from './decode-client-message.js';
export { RawJson } from './raw-json.js';
export { parseServerMessage } from './parse-server-message.js';
export { validateServerMessage } from './validate-server-message.js';
export { validateNickname, normalizeNickname, nicknameKey, NICKNAME_MAX_LENGTH } from './nickname.js';
export type { NicknameCheck } from './nickname.js';
export { CLIENT_MESSAGE_SCHEMAS, SERVER_MESSAGE_SCHEMAS } from './schemas.js';
export type {
  PeerMetadata,
  PeerMetadataPatch,
  PeerStatus,
  PeerState,
  PeerInfo,
  LeftReason,
  IceServer,
  Limits,
  HelloMessage,
  ResumeMessage,
  JoinMessage,
  LeaveMessage,
  UpdateMessage,
  SignalMessage,
  TokenMessage,
  ClientAckMessage,
  PingMessage,
  ByeMessage,
  ClientMessage,
  ClientMessageType,
  ClientRequest,
  WelcomeMessage,
  RosterMessage,
  PeerJoinedMessage,
  PeerUpdatedMessage,
  PeerLeftMessage,
  LeftMessage,
  RelayedSignalMessage,
  ServerAckMessage,
  ErrorMessage,
  PongMessage,
  IceServersMessage,
  ServerGoingAwayMessage,
  ServerMessage,
  ServerMessageType,
  SequencedServerMessage,
  UnsequencedServerMessage,
  DistributiveOmit,
} from './messages.js';
