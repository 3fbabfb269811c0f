/**
 * TypeBox schemas for every frame, both directions. The static types in `messages.ts` are derived from
 * these, so the validator and the types cannot disagree. `additionalProperties: false` everywhere: an extra
 * field is a client bug we want to hear about (INVALID_FRAME), not something to carry silently.
 */
import { Type, type TSchema } from '@sinclair/typebox';

const strict = { additionalProperties: false } as const;

/** Client request ids: strictly increasing per session, used for acks, dedupe on resume and error `ref`. */
export const RequestId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
/** Server sequence numbers of state-carrying frames, per session, starting at 1. */
export const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Room names are URL-safe so that `/r/<room>` links work. */
export const RoomName = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' });
/** Peer ids are issued by the server; clients only echo them back. */
export const PeerId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const PeerStatus = Type.Union([Type.Literal('available'), Type.Literal('busy'), Type.Literal('away')]);

/** What a peer says about itself in a room. `extra` is app-defined and size-capped by the server. */
export const PeerMetadata = Type.Object(
  {
    nickname: Type.String({ maxLength: 256 }),
    status: Type.Optional(PeerStatus),
    extra: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
  },
  strict,
);
/** A partial metadata update; omitted fields keep their value. */
export const PeerMetadataPatch = Type.Partial(PeerMetadata, strict);

export const IceServer = Type.Object(
  {
    urls: Type.Union([Type.String(), Type.Array(Type.String())]),
    username: Type.Optional(Type.String()),
    credential: Type.Optional(Type.String()),
  },
  strict,
);

// ---- client -> server ----------------------------------------------------------------------------------

const v = Type.Integer({ minimum: 0, maximum: 1000 });
const ackField = Type.Optional(Seq);

export const HelloMessage = Type.Object(
  { type: Type.Literal('hello'), v, token: Type.Optional(Type.String({ maxLength: 8192 })) },
  strict,
);
export const ResumeMessage = Type.Object(
  {
    type: Type.Literal('resume'),
    v,
    sessionId: Type.String({ minLength: 1, maxLength: 128 }),
    resumeSecret: Type.String({ minLength: 1, maxLength: 256 }),
    lastSeq: Seq,
    token: Type.Optional(Type.String({ maxLength: 8192 })),
  },
  strict,
);
/**
 * A room cap asked for by the app: a positive integer, at most the server's `limits.maxPeersPerRoom`
 * (checked by the server: INVALID_MAX_PEERS). The join that creates the room fixes it as the room's cap.
 */
export const MaxPeers = Type.Integer({ minimum: 1, maximum: 100_000 });
export const JoinMessage = Type.Object(
  {
    type: Type.Literal('join'),
    id: RequestId,
    room: RoomName,
    metadata: PeerMetadata,
    maxPeers: Type.Optional(MaxPeers),
    ack: ackField,
  },
  strict,
);
export const LeaveMessage = Type.Object(
  { type: Type.Literal('leave'), id: RequestId, room: RoomName, ack: ackField },
  strict,
);
export const UpdateMessage = Type.Object(
  {
    type: Type.Literal('update'),
    id: RequestId,
    room: Type.Optional(RoomName),
    metadata: PeerMetadataPatch,
    ack: ackField,
  },
  strict,
);
export const SignalMessage = Type.Object(
  { type: Type.Literal('signal'), id: RequestId, to: PeerId, data: Type.Unknown(), ack: ackField },
  strict,
);
export const TokenMessage = Type.Object(
  {
    type: Type.Literal('token'),
    id: RequestId,
    token: Type.String({ minLength: 1, maxLength: 8192 }),
    ack: ackField,
  },
  strict,
);
export const ClientAckMessage = Type.Object({ type: Type.Literal('ack'), seq: Seq }, strict);
export const PingMessage = Type.Object(
  { type: Type.Literal('ping'), t: Type.Optional(Type.Number()) },
  strict,
);
export const ByeMessage = Type.Object({ type: Type.Literal('bye') }, strict);

/** Every client frame schema, keyed by `type`. The decoder picks one by `type` (a discriminated union). */
export const CLIENT_MESSAGE_SCHEMAS = {
  hello: HelloMessage,
  resume: ResumeMessage,
  join: JoinMessage,
  leave: LeaveMessage,
  update: UpdateMessage,
  signal: SignalMessage,
  token: TokenMessage,
  ack: ClientAckMessage,
  ping: PingMessage,
  bye: ByeMessage,
} as const satisfies Record<string, TSchema>;

// ---- server -> client ----------------------------------------------------------------------------------

/**
 * A cumulative request ack piggybacked on a frame that goes to the client anyway: every request with
 * id <= `ack` has been processed, exactly as a standalone `ack {id}` says. It is added when the frame is
 * sent (never stored in the outbox), and only once every answer of those requests has been sent, so it
 * never overtakes the error that answers one of them. It saves the standalone `ack` frame whenever the
 * session has traffic in that direction.
 */
const piggybackAck = Type.Optional(Type.Integer({ minimum: 0 }));

export const PeerState = Type.Union([Type.Literal('online'), Type.Literal('reconnecting')]);
/** A peer as presence shows it to one recipient. `polite` is the recipient's role toward this peer. */
export const PeerInfo = Type.Object(
  { peerId: PeerId, metadata: PeerMetadata, state: PeerState, polite: Type.Boolean() },
  strict,
);
export const LeftReason = Type.Union([
  Type.Literal('left'),
  Type.Literal('timeout'),
  Type.Literal('kicked'),
  Type.Literal('node-failure'),
]);
export const Limits = Type.Object(
  {
    maxFrameBytes: Type.Integer(),
    messagesPerSecond: Type.Number(),
    messageBurst: Type.Integer(),
    maxRoomsPerSession: Type.Integer(),
    maxOutbox: Type.Integer(),
    maxPeersPerRoom: Type.Integer(),
    graceMs: Type.Integer(),
    pingIntervalMs: Type.Integer(),
    ackDelayMs: Type.Integer(),
  },
  strict,
);

export const WelcomeMessage = Type.Object(
  {
    type: Type.Literal('welcome'),
    v,
    peerId: PeerId,
    sessionId: Type.String(),
    resumeSecret: Type.String(),
    resumed: Type.Boolean(),
    /** Highest client request id the server has processed for this session (0 on a fresh session). */
    lastClientId: Type.Integer({ minimum: 0 }),
    /** The server's last assigned seq when this welcome was sent; replayed frames run up to it. */
    seq: Seq,
    rooms: Type.Array(RoomName),
    iceServers: Type.Array(IceServer),
    /** Epoch ms at which the TURN credentials in `iceServers` expire, when any were issued. */
    iceServersExpireAt: Type.Optional(Type.Number()),
    limits: Limits,
  },
  strict,
);
export const RosterMessage = Type.Object(
  {
    type: Type.Literal('roster'),
    seq: Seq,
    ref: RequestId,
    room: RoomName,
    self: Type.Object({ peerId: PeerId, metadata: PeerMetadata }, strict),
    peers: Type.Array(PeerInfo),
    /** The room's cap (its own, or the server's limit) when this join added the peer to the room. */
    maxPeers: Type.Optional(MaxPeers),
    ack: piggybackAck,
  },
  strict,
);
export const PeerJoinedMessage = Type.Object(
  { type: Type.Literal('peer-joined'), seq: Seq, room: RoomName, peer: PeerInfo, ack: piggybackAck },
  strict,
);
export const PeerUpdatedMessage = Type.Object(
  { type: Type.Literal('peer-updated'), seq: Seq, room: RoomName, peer: PeerInfo, ack: piggybackAck },
  strict,
);
export const PeerLeftMessage = Type.Object(
  {
    type: Type.Literal('peer-left'),
    seq: Seq,
    room: RoomName,
    peerId: PeerId,
    reason: LeftReason,
    ack: piggybackAck,
  },
  strict,
);
/** This session itself was removed from a room (after `leave`, or kicked). */
export const LeftMessage = Type.Object(
  {
    type: Type.Literal('left'),
    seq: Seq,
    room: RoomName,
    reason: LeftReason,
    ref: Type.Optional(RequestId),
    ack: piggybackAck,
  },
  strict,
);
export const RelayedSignalMessage = Type.Object(
  { type: Type.Literal('signal'), seq: Seq, from: PeerId, data: Type.Unknown(), ack: piggybackAck },
  strict,
);
/** Cumulative: every client request with id <= `id` has been processed. */
export const ServerAckMessage = Type.Object(
  { type: Type.Literal('ack'), id: Type.Integer({ minimum: 0 }) },
  strict,
);
export const ErrorMessage = Type.Object(
  {
    type: Type.Literal('error'),
    code: Type.String(),
    message: Type.String(),
    ref: Type.Optional(RequestId),
    /** Present when the error answers a request: then it is part of the replayable stream. */
    seq: Type.Optional(Seq),
    ack: piggybackAck,
  },
  strict,
);
export const PongMessage = Type.Object(
  { type: Type.Literal('pong'), t: Type.Optional(Type.Number()), ack: piggybackAck },
  strict,
);
export const IceServersMessage = Type.Object(
  {
    type: Type.Literal('ice-servers'),
    iceServers: Type.Array(IceServer),
    expiresAt: Type.Optional(Type.Number()),
    ack: piggybackAck,
  },
  strict,
);
export const ServerGoingAwayMessage = Type.Object(
  {
    type: Type.Literal('server-going-away'),
    reason: Type.Union([Type.Literal('drain'), Type.Literal('shutdown')]),
    /** Reconnect (resume) after about this long; the server spreads it with jitter. */
    reconnectInMs: Type.Integer({ minimum: 0 }),
  },
  strict,
);

export const SERVER_MESSAGE_SCHEMAS = {
  welcome: WelcomeMessage,
  roster: RosterMessage,
  'peer-joined': PeerJoinedMessage,
  'peer-updated': PeerUpdatedMessage,
  'peer-left': PeerLeftMessage,
  left: LeftMessage,
  signal: RelayedSignalMessage,
  ack: ServerAckMessage,
  error: ErrorMessage,
  pong: PongMessage,
  'ice-servers': IceServersMessage,
  'server-going-away': ServerGoingAwayMessage,
} as const satisfies Record<string, TSchema>;
