/**
 * The protocol as TypeScript types: one discriminated union per direction, derived from `schemas.ts`.
 * PROTOCOL.md describes the semantics (who sends what, ordering, delivery guarantees).
 */
import type { Static } from '@sinclair/typebox';
import type * as S from './schemas.js';

export type PeerMetadata = Static<typeof S.PeerMetadata>;
export type PeerMetadataPatch = Static<typeof S.PeerMetadataPatch>;
export type PeerStatus = Static<typeof S.PeerStatus>;
export type PeerState = Static<typeof S.PeerState>;
export type PeerInfo = Static<typeof S.PeerInfo>;
export type LeftReason = Static<typeof S.LeftReason>;
export type IceServer = Static<typeof S.IceServer>;
export type Limits = Static<typeof S.Limits>;

export type HelloMessage = Static<typeof S.HelloMessage>;
export type ResumeMessage = Static<typeof S.ResumeMessage>;
export type JoinMessage = Static<typeof S.JoinMessage>;
export type LeaveMessage = Static<typeof S.LeaveMessage>;
export type UpdateMessage = Static<typeof S.UpdateMessage>;
export type SignalMessage = Static<typeof S.SignalMessage>;
export type TokenMessage = Static<typeof S.TokenMessage>;
export type ClientAckMessage = Static<typeof S.ClientAckMessage>;
export type PingMessage = Static<typeof S.PingMessage>;
export type ByeMessage = Static<typeof S.ByeMessage>;

/** Every frame a client may send. */
export type ClientMessage =
  | HelloMessage
  | ResumeMessage
  | JoinMessage
  | LeaveMessage
  | UpdateMessage
  | SignalMessage
  | TokenMessage
  | ClientAckMessage
  | PingMessage
  | ByeMessage;
export type ClientMessageType = ClientMessage['type'];
/** Client frames that carry a request `id` and are resent after a resume until acknowledged. */
export type ClientRequest = JoinMessage | LeaveMessage | UpdateMessage | SignalMessage | TokenMessage;

export type WelcomeMessage = Static<typeof S.WelcomeMessage>;
export type RosterMessage = Static<typeof S.RosterMessage>;
export type PeerJoinedMessage = Static<typeof S.PeerJoinedMessage>;
export type PeerUpdatedMessage = Static<typeof S.PeerUpdatedMessage>;
export type PeerLeftMessage = Static<typeof S.PeerLeftMessage>;
export type LeftMessage = Static<typeof S.LeftMessage>;
export type RelayedSignalMessage = Static<typeof S.RelayedSignalMessage>;
export type ServerAckMessage = Static<typeof S.ServerAckMessage>;
export type ErrorMessage = Static<typeof S.ErrorMessage>;
export type PongMessage = Static<typeof S.PongMessage>;
export type IceServersMessage = Static<typeof S.IceServersMessage>;
export type ServerGoingAwayMessage = Static<typeof S.ServerGoingAwayMessage>;

/** Every frame a server may send. */
export type ServerMessage =
  | WelcomeMessage
  | RosterMessage
  | PeerJoinedMessage
  | PeerUpdatedMessage
  | PeerLeftMessage
  | LeftMessage
  | RelayedSignalMessage
  | ServerAckMessage
  | ErrorMessage
  | PongMessage
  | IceServersMessage
  | ServerGoingAwayMessage;
export type ServerMessageType = ServerMessage['type'];

/**
 * Server frames that carry a `seq`: they are kept in the session outbox until acknowledged and replayed,
 * in order and exactly once, after a resume. (`error` is sequenced only when it answers a request.)
 */
export type SequencedServerMessage =
  | RosterMessage
  | PeerJoinedMessage
  | PeerUpdatedMessage
  | PeerLeftMessage
  | LeftMessage
  | RelayedSignalMessage
  | (ErrorMessage & { seq: number });

/** Distributive Omit, so `Omit<Union, 'seq'>` keeps the union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A sequenced frame before the session outbox stamps its seq. */
export type UnsequencedServerMessage = DistributiveOmit<SequencedServerMessage, 'seq'>;
