/**
 * @switchboard/server: the Switchboard broker. `createServer(options)` is the entry point; the interfaces
 * below are the seams other packages implement (`ClusterBus`, `Authenticator`, `SignalPolicy`).
 */
export { createServer } from './create-server.js';
export type { SwitchboardServer } from './create-server.js';
export { DEFAULT_SERVER_OPTIONS, LOG_LEVELS, resolveServerOptions } from './config/server-options.js';
export type { ServerOptions, ResolvedServerOptions, LogLevel } from './config/server-options.js';
export { staticIceServers } from './ice-server-provider.js';
export type { IceServerProvider, IceServerList } from './ice-server-provider.js';
export { StunServer } from './ice/stun-server.js';
export type { StunServerOptions, StunServerCounters } from './ice/stun-server.js';
export { createIceServerProvider, deriveStunUrl, formatStunUrl } from './ice/ice-servers.js';
export type { IceServerProviderOptions } from './ice/ice-servers.js';
export {
  TurnCredentialIssuer,
  signTurnUsername,
  clampTurnTtlS,
  TURN_TTL_LIMITS_S,
} from './ice/turn-credentials.js';
export type { TurnCredentialOptions, TurnCredential } from './ice/turn-credentials.js';
export { AnonymousAuthenticator } from './auth/authenticator.js';
export type { Authenticator, AuthRequest, AuthResult, Principal } from './auth/authenticator.js';
export { JwtAuthenticator, MIN_SECRET_BYTES } from './auth/jwt-authenticator.js';
export type { JwtAuthenticatorOptions, PublicKeyInput } from './auth/jwt-authenticator.js';
export { createAuthenticator } from './auth/create-authenticator.js';
export type { AuthSettings } from './auth/create-authenticator.js';
export { mintToken } from './auth/mint-token.js';
export type { MintTokenOptions } from './auth/mint-token.js';
export { runTokenCommand, JWT_SECRET_ENV } from './auth/token-command.js';
export { parseDurationMs } from './auth/parse-duration.js';
export { checkRoomAccess, isRoomGranted } from './auth/room-access.js';
export type { RoomAccessResult } from './auth/room-access.js';
export { OriginAllowList } from './auth/origin-allow-list.js';
export type { OriginAllowListOptions } from './auth/origin-allow-list.js';
export { readUpgradeToken, redactUrl, LOG_REDACT_PATHS } from './auth/upgrade-token.js';
export { TokenExpiryWatch } from './auth/token-expiry-watch.js';
export { DEFAULT_MESSAGE_RATE_LIMITS, RATE_LIMITED_TYPES } from './transport/message-rate-limits.js';
export type { MessageRateLimits, RateLimitedType, TypeRateLimit } from './transport/message-rate-limits.js';
export { resolveClientAddress } from './edge/client-address.js';
export type { TrustProxy } from './edge/client-address.js';
export { loadTlsMaterial, createListener } from './edge/tls-server.js';
export type { TlsFiles, TlsMaterial } from './edge/tls-server.js';
export { SameRoomSignalPolicy, OpenSignalPolicy, toSignalPolicy } from './auth/signal-policy.js';
export type { SignalPolicy, SignalParty, SignalPolicyOption } from './auth/signal-policy.js';
export { InMemoryClusterBus } from './bus/in-memory-cluster-bus.js';
export type { InMemoryClusterBusOptions } from './bus/in-memory-cluster-bus.js';
export { InMemoryClusterHub } from './bus/in-memory-cluster-hub.js';
export type { InMemoryClusterHubOptions } from './bus/in-memory-cluster-hub.js';
export type {
  ClusterBus,
  ClusterBusListener,
  ClusterBusLimits,
  SessionRecord,
  RoomMember,
  DeliverResult,
  DeliverOrigin,
  DeliverPrecondition,
  JoinRoomOptions,
  JoinRoomResult,
  UpdateMemberResult,
} from './bus/cluster-bus.js';
export { Outbox } from './sessions/outbox.js';
export { RoomRegistry } from './rooms/room-registry.js';
export type { MemberPatch } from './rooms/room-registry.js';
export { isPolite } from './rooms/peer-info.js';
export { ServerMetrics } from './http/server-metrics.js';
export type { LimitName } from './http/server-metrics.js';
