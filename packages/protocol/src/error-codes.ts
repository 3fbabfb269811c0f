/**
 * Every stable error code of Switchboard, on the wire and in the SDK.
 *
 * Codes are SCREAMING_SNAKE strings and never change meaning once shipped. docs/errors.md lists the same
 * set, and `error-codes.test.ts` fails when the two drift apart (the fastify `FST_ERR_*` discipline).
 * `where` says who produces the code: `server` codes travel in `error` frames, `client` codes are raised by
 * the SDK locally (they still use `SwitchboardError`, so apps handle one shape).
 */
export const ERROR_CODES = {
  // Framing and protocol (server, at the edge).
  INVALID_JSON: { where: 'server', description: 'The frame is not valid JSON text.' },
  INVALID_FRAME: {
    where: 'server',
    description:
      'The frame is JSON but not a valid message: a field is missing, extra or of the wrong type, or it is binary.',
  },
  UNKNOWN_TYPE: { where: 'server', description: 'The frame has a `type` the protocol does not define.' },
  FRAME_TOO_LARGE: { where: 'server', description: 'The frame is larger than `limits.maxFrameBytes`.' },
  UNSUPPORTED_VERSION: {
    where: 'server',
    description:
      'The `v` in hello or resume, or in the upgrade URL (`?v=`), is not a protocol version this server speaks.',
  },
  HELLO_REQUIRED: {
    where: 'server',
    description: 'A frame other than hello or resume arrived before the session was established.',
  },
  ALREADY_ESTABLISHED: {
    where: 'server',
    description:
      'A second hello or resume arrived on a socket whose session is already established, or whose URL said hello.',
  },
  // Sessions.
  RESUME_FORBIDDEN: {
    where: 'server',
    description: 'The resume secret does not match the session, or the session belongs to another identity.',
  },
  SESSION_REPLACED: {
    where: 'server',
    description:
      'A resume on another socket took this session over; this socket was closed (close code 4009).',
  },
  // Rooms and presence.
  INVALID_NICKNAME: {
    where: 'server',
    description:
      'The nickname is empty, too long, or uses characters that are not allowed after Unicode normalisation.',
  },
  NICKNAME_TAKEN: {
    where: 'server',
    description:
      'Another peer in the room already uses this nickname (compared case- and confusable-insensitively).',
  },
  INVALID_ROOM: { where: 'server', description: 'The room name does not match the allowed pattern.' },
  INVALID_METADATA: { where: 'server', description: 'The peer metadata is too large or malformed.' },
  ROOM_FULL: {
    where: 'server',
    description:
      "The room already holds its maximum number of participants: the smallest of the room's cap (set by its creator's `maxPeers`), this join's `maxPeers`, the token grant's and `limits.maxPeersPerRoom`.",
  },
  INVALID_MAX_PEERS: {
    where: 'server',
    description: "The join's `maxPeers` is larger than the server's `limits.maxPeersPerRoom`.",
  },
  NOT_IN_ROOM: { where: 'server', description: 'The request names a room this session has not joined.' },
  TOO_MANY_ROOMS: {
    where: 'server',
    description: 'The session is already in `limits.maxRoomsPerSession` rooms.',
  },
  // Relay.
  PEER_NOT_FOUND: {
    where: 'server',
    description: 'The target peer does not exist (never did, left, or its grace window ran out).',
  },
  SIGNAL_FORBIDDEN: {
    where: 'server',
    description:
      'The signaling policy forbids this sender from reaching this target (by default: no shared room).',
  },
  OUTBOX_FULL: {
    where: 'server',
    description:
      "The target's outbox is at `limits.maxOutbox` while it is disconnected; the signal was not accepted.",
  },
  // Limits and abuse.
  RATE_LIMITED: {
    where: 'server',
    description:
      "The connection sent more frames than its token bucket allows, or more of one message type than that type's limit (the message names the type); the frame was dropped and a request is answered by `ref`.",
  },
  TOO_MANY_CONNECTIONS: {
    where: 'server',
    description: 'This IP address already holds the maximum number of connections.',
  },
  HANDSHAKE_TIMEOUT: {
    where: 'server',
    description: 'No hello or resume arrived within the handshake timeout.',
  },
  SLOW_CONSUMER: {
    where: 'server',
    description:
      "The socket's unsent buffer exceeded its cap because the client does not read; it was closed.",
  },
  // Authentication and authorization.
  UNAUTHORIZED: { where: 'server', description: 'A token is required and none was given.' },
  TOKEN_INVALID: {
    where: 'server',
    description: 'The token is malformed, its signature does not verify, or a claim is wrong.',
  },
  TOKEN_EXPIRED: {
    where: 'server',
    description:
      'The token has expired (or is not valid yet), beyond the allowed clock leeway. A live session whose token expires without a refresh is ended with this code (close code 4010).',
  },
  ROOM_FORBIDDEN: { where: 'server', description: "The identity's grants do not allow joining this room." },
  ORIGIN_FORBIDDEN: {
    where: 'server',
    description:
      'The Origin header of the upgrade request is not on the allow-list; the upgrade completes and the socket is closed at once (close code 4003), so a browser can read the code.',
  },
  // Server state.
  SERVER_DRAINING: {
    where: 'server',
    description: 'The server is draining and accepts no new sessions; resume on another node.',
  },
  INTERNAL_ERROR: { where: 'server', description: 'An unexpected server fault; the request may be retried.' },
  CLUSTER_UNAVAILABLE: {
    where: 'server',
    description:
      "The target peer is not on this node and the cluster's shared store (Redis) is unreachable, so it can be neither found nor reached now; retry once the node is ready again.",
  },
  // Raised by the SDK.
  NOT_CONNECTED: {
    where: 'client',
    description: 'The operation needs an established session and the client is closed.',
  },
  CONNECTION_CLOSED: { where: 'client', description: 'The client was closed while the request was pending.' },
  CONNECTION_LOST: {
    where: 'client',
    description:
      'The WebSocket closed or went silent without a reason from the server; the client reconnects by itself.',
  },
  TIMEOUT: {
    where: 'client',
    description: 'A request or negotiation step did not complete within its timeout.',
  },
  SESSION_LOST: {
    where: 'client',
    description:
      'The session could not be resumed (the server answered `resumed: false`); rooms were rejoined fresh.',
  },
  INVALID_OPTIONS: {
    where: 'client',
    description: 'An options object failed validation; the message names the option.',
  },
  NEGOTIATION_FAILED: {
    where: 'client',
    description: 'Applying a remote or local description failed on the peer connection.',
  },
  ICE_FAILED: { where: 'client', description: 'ICE failed and the restart policy gave up.' },
  CHANNEL_CLOSED: {
    where: 'client',
    description: 'The data channel closed before the message could be sent.',
  },
  CHANNEL_MESSAGE_INVALID: {
    where: 'client',
    description:
      'A data channel message from the remote peer is malformed (bad frame header, invalid UTF-8 or JSON) or too large.',
  },
  CALL_DECLINED: { where: 'client', description: 'The callee declined the call.' },
  CALL_BUSY: { where: 'client', description: 'The callee is already in a call.' },
  CALL_NO_ANSWER: { where: 'client', description: 'The callee did not answer before the ring timeout.' },
  CALL_CANCELLED: { where: 'client', description: 'The caller cancelled the call before it was answered.' },
  TRANSFER_CANCELLED: { where: 'client', description: 'A file transfer was cancelled by either side.' },
  TRANSFER_FAILED: {
    where: 'client',
    description: 'A file transfer broke off: the channel closed or the file could not be read or written.',
  },
  HASH_MISMATCH: { where: 'client', description: "The received file's SHA-256 differs from the sender's." },
  MANUAL_CODE_INVALID: {
    where: 'client',
    description: 'Copy/paste signaling text is corrupted, truncated or of the wrong kind.',
  },
} as const satisfies Record<string, { where: 'server' | 'client'; description: string }>;

/** A stable Switchboard error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether `value` is one of the stable error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * WebSocket close codes the server uses (4000-4999 is the application range, RFC 6455 §7.4.2).
 * The close reason text is the matching error code, so a client can map a close back to `ErrorCode`.
 */
export const CLOSE_CODES = {
  /** Normal end of a session after `bye`. */
  NORMAL: 1000,
  /** The server is shutting down or draining. */
  GOING_AWAY: 1001,
  /** A frame could not be decoded and the peer is abusive, or the handshake was wrong. */
  PROTOCOL_ERROR: 4000,
  UNAUTHORIZED: 4001,
  /** Refused for good: an invalid token (`TOKEN_INVALID`) or an Origin off the allow-list (`ORIGIN_FORBIDDEN`). */
  FORBIDDEN: 4003,
  /** The token expired: at the upgrade or hello, or during a session that was not refreshed in time. */
  TOKEN_EXPIRED: 4010,
  HANDSHAKE_TIMEOUT: 4008,
  /** The session was taken over by a resume on another socket. */
  SESSION_REPLACED: 4009,
  TOO_LARGE: 4013,
  SLOW_CONSUMER: 4029,
  TOO_MANY_CONNECTIONS: 4030,
  RATE_LIMITED: 4031,
  /** Liveness: no pong in time. */
  DEAD: 4040,
} as const;
