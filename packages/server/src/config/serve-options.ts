/**
 * The option table of `switchboard serve`: adding an option is adding a row (plus, for options that are
 * not a plain `ServerOptions` field, a line where `cli.ts` composes them). Security rows live in
 * security-cli-options.ts.
 */
import type { CliOption } from './cli-option.js';
import { SECURITY_CLI_OPTIONS } from './security-cli-options.js';
import { LOG_LEVELS } from './server-options.js';

/** Every option of `switchboard serve`. */
export const SERVE_OPTIONS: readonly CliOption[] = [
  {
    flag: 'port',
    kind: 'integer',
    key: 'port',
    description: 'TCP port for HTTP and WebSocket (0 picks a free one)',
  },
  { flag: 'host', kind: 'string', key: 'host', description: 'interface to listen on' },
  {
    flag: 'grace-ms',
    kind: 'integer',
    key: 'graceMs',
    description: 'how long a session outlives its socket',
  },
  {
    flag: 'ping-interval-ms',
    kind: 'integer',
    key: 'pingIntervalMs',
    description: 'how often each socket is pinged (WebSocket ping)',
  },
  {
    flag: 'pong-timeout-ms',
    kind: 'integer',
    key: 'pongTimeoutMs',
    description: 'how long a ping may go unanswered before the socket is dropped',
  },
  { flag: 'max-frame-bytes', kind: 'integer', key: 'maxFrameBytes', description: 'largest accepted frame' },
  {
    flag: 'rate',
    kind: 'number',
    key: 'messagesPerSecond',
    description: 'sustained frames per second per connection',
  },
  {
    flag: 'burst',
    kind: 'integer',
    key: 'messageBurst',
    description: 'frames a connection may send at once',
  },
  {
    flag: 'max-outbox',
    kind: 'integer',
    key: 'maxOutbox',
    description: 'unacknowledged frames kept per session',
  },
  {
    flag: 'max-rooms',
    kind: 'integer',
    key: 'maxRoomsPerSession',
    description: 'rooms one session may be in',
  },
  { flag: 'max-peers-per-room', kind: 'integer', key: 'maxPeersPerRoom', description: 'members per room' },
  {
    flag: 'max-connections-per-ip',
    kind: 'integer',
    key: 'maxConnectionsPerIp',
    description: 'simultaneous connections per client IP',
  },
  {
    flag: 'handshake-timeout-ms',
    kind: 'integer',
    key: 'handshakeTimeoutMs',
    description: 'time a new socket has to say hello',
  },
  {
    flag: 'max-buffered-bytes',
    kind: 'integer',
    key: 'maxBufferedBytes',
    description: 'unsent bytes per socket before it is closed as a slow consumer',
  },
  {
    flag: 'ack-delay-ms',
    kind: 'integer',
    key: 'ackDelayMs',
    description: 'how long a request ack waits for a frame to ride on before it goes alone',
  },
  {
    flag: 'max-metadata-bytes',
    kind: 'integer',
    key: 'maxMetadataBytes',
    description: 'largest peer metadata (JSON)',
  },
  {
    flag: 'drain-timeout-ms',
    kind: 'integer',
    key: 'drainTimeoutMs',
    description: 'how long SIGTERM waits for clients before closing',
  },
  {
    flag: 'signal-policy',
    kind: 'string',
    key: 'signalPolicy',
    description: "who may signal whom: 'same-room' or 'any'",
  },
  { flag: 'log-level', kind: 'string', key: 'logLevel', description: `log level: ${LOG_LEVELS.join(', ')}` },
  {
    flag: 'static-dir',
    kind: 'string',
    key: 'staticDir',
    description: 'folder served at / (the web app build)',
    defaultText: 'apps/web/dist when built',
  },
  {
    flag: 'ice-server',
    kind: 'list',
    description: 'STUN/TURN URL handed to clients (repeat, or comma-separate)',
    defaultText: 'none',
  },
  {
    flag: 'stun',
    kind: 'boolean',
    description: 'run the embedded STUN server (--no-stun turns it off)',
    defaultText: 'true',
  },
  {
    flag: 'stun-port',
    kind: 'integer',
    description: 'UDP port of the embedded STUN server',
    defaultText: '3478',
  },
  {
    flag: 'stun-host',
    kind: 'string',
    description: "address the STUN server binds ('::' for IPv6 and IPv4)",
    defaultText: '0.0.0.0',
  },
  {
    flag: 'stun-public-url',
    kind: 'string',
    description: 'STUN URL clients are told to use',
    defaultText: 'stun:<stun-host or first external IPv4>:<stun-port>',
  },
  {
    flag: 'turn-url',
    kind: 'list',
    description: 'TURN URL (turn:/turns:, ?transport=udp|tcp) handed out with per-peer credentials (repeat)',
    defaultText: 'none',
  },
  {
    flag: 'turn-secret',
    kind: 'list',
    description:
      'coturn static-auth-secret; the first signs, coturn must list all (repeat or comma-separate)',
    defaultText: 'none',
  },
  {
    flag: 'turn-ttl-s',
    kind: 'integer',
    description: 'TURN credential lifetime in seconds, clamped to 300-86400',
    defaultText: '3600',
  },
  {
    flag: 'redis',
    kind: 'string',
    description: 'Redis URL (redis://host:port): run as one node of a cluster',
    defaultText: 'none (single node, in memory)',
  },
  ...SECURITY_CLI_OPTIONS,
];
