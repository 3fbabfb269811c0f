/**
 * The CLI's options, as one table: each row gives the flag, its environment variable, its kind, its
 * default as shown in `--help`, and what it sets. Adding an option is adding a row (plus, for options that
 * are not a plain `ServerOptions` field, a line where `cli.ts` composes them).
 *
 * Precedence: a flag beats its environment variable, which beats the default.
 */
import { parseArgs } from 'node:util';
import { SwitchboardError } from '@switchboard/protocol';
import { DEFAULT_SERVER_OPTIONS, LOG_LEVELS, type ServerOptions } from './server-options.js';

/** How a value is read from text. */
export type CliKind = 'integer' | 'number' | 'string' | 'list' | 'boolean';

/** A parsed option value. */
export type CliValue = number | string | readonly string[] | boolean;

/** One row of the table. */
export interface CliOption {
  /** Flag without dashes (`max-frame-bytes`); the variable is `SWITCHBOARD_` + its upper snake case. */
  readonly flag: string;
  readonly kind: CliKind;
  /** One line for `--help`. */
  readonly description: string;
  /** The `ServerOptions` field it sets directly, if it is one. */
  readonly key?: keyof ServerOptions;
  /** The default as `--help` shows it (taken from DEFAULT_SERVER_OPTIONS when `key` is set). */
  readonly defaultText?: string;
}

const d = DEFAULT_SERVER_OPTIONS;

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
    description: 'WebSocket ping interval; no pong for 2 intervals drops the socket',
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
  // Security (docs/security.md); composed in auth/compose-security-options.ts.
  {
    flag: 'jwt-secret',
    kind: 'string',
    description: 'HS256 secret (>= 32 bytes) tokens are signed with; turns token auth on',
    defaultText: 'none (anonymous)',
  },
  {
    flag: 'jwt-public-key',
    kind: 'string',
    description: 'file with a PEM or JWK public key, or a JWK Set, for RS/PS/ES/EdDSA tokens',
    defaultText: 'none',
  },
  {
    flag: 'jwks-url',
    kind: 'string',
    description: "URL of the identity provider's JWK Set",
    defaultText: 'none',
  },
  {
    flag: 'require-auth',
    kind: 'boolean',
    description: 'refuse connections without a token (--no-require-auth admits anonymous users too)',
    defaultText: 'true with a JWT key, else false',
  },
  {
    flag: 'tls-cert',
    kind: 'string',
    description: 'PEM certificate chain: serve HTTPS and WSS directly (with --tls-key)',
    defaultText: 'none (plain HTTP)',
  },
  { flag: 'tls-key', kind: 'string', description: 'PEM private key of --tls-cert', defaultText: 'none' },
  {
    flag: 'trust-proxy',
    kind: 'boolean',
    description: 'take the client IP from X-Forwarded-For (only behind a reverse proxy)',
    defaultText: 'false',
  },
  {
    flag: 'trust-proxy-hops',
    kind: 'integer',
    description: 'reverse proxies in front that append to X-Forwarded-For',
    defaultText: '1',
  },
  {
    flag: 'origin',
    kind: 'list',
    description: 'Origin allowed to open WebSockets (repeat; https://*.example.com works)',
    defaultText: 'any',
  },
];

/** The environment variable of a flag. */
export function envName(flag: string): string {
  return `SWITCHBOARD_${flag.toUpperCase().replaceAll('-', '_')}`;
}

/** How error sentences name an option: `--max-frame-bytes (SWITCHBOARD_MAX_FRAME_BYTES)`. */
export function optionLabel(flag: string): string {
  return `--${flag} (${envName(flag)})`;
}

/** The row that sets `key`, if any. */
export function optionOfKey(table: readonly CliOption[], key: keyof ServerOptions): CliOption | undefined {
  return table.find((o) => o.key === key);
}

/** The outcome of reading the command line and environment. */
export interface ParsedCli {
  /** Values that were given (by flag or variable), by flag name. */
  readonly values: ReadonlyMap<string, CliValue>;
  readonly isHelp: boolean;
}

/**
 * Read flags (then environment variables) for every row of `table`.
 * @throws SwitchboardError('INVALID_OPTIONS') naming the first bad flag or value
 */
export function parseCli(
  table: readonly CliOption[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedCli {
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
  };
  for (const option of table) {
    spec[option.flag] =
      option.kind === 'boolean'
        ? { type: 'boolean' }
        : option.kind === 'list'
          ? { type: 'string', multiple: true }
          : { type: 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: spec,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n', 1)[0] : String(cause);
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${message} Run \`switchboard serve --help\` for the options.`,
      { cause },
    );
  }
  const values = new Map<string, CliValue>();
  for (const option of table) {
    const raw = parsed.values[option.flag] ?? env[envName(option.flag)];
    if (raw === undefined || raw === '') continue;
    values.set(option.flag, convert(option, raw));
  }
  return { values, isHelp: parsed.values['help'] === true };
}

function convert(option: CliOption, raw: string | boolean | (string | boolean)[]): CliValue {
  const label = optionLabel(option.flag);
  if (option.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const text = String(raw).toLowerCase();
    if (['1', 'true', 'yes'].includes(text)) return true;
    if (['0', 'false', 'no'].includes(text)) return false;
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${label} must be true or false, got ${JSON.stringify(raw)}.`,
    );
  }
  if (option.kind === 'list') {
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(','));
    return items.map((item) => item.trim()).filter((item) => item !== '');
  }
  const text = String(raw).trim();
  if (option.kind === 'string') return text;
  const number = Number(text);
  const isValid =
    text !== '' && Number.isFinite(number) && (option.kind === 'number' || Number.isInteger(number));
  if (!isValid) {
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${label} must be ${option.kind === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}.`,
    );
  }
  return number;
}

/** A default as text: numbers and strings as they are, anything else (functions, objects) as nothing. */
function describeDefault(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

/** The `--help` text of `switchboard serve`, one line per option with its variable and default. */
export function serveHelp(table: readonly CliOption[]): string {
  const rows = table.map((option) => {
    const shown = option.defaultText ?? (option.key === undefined ? '' : describeDefault(d[option.key]));
    const value = option.kind === 'boolean' ? '' : ' <value>';
    return {
      left: `  --${option.flag}${value}`,
      right: `${option.description} [${envName(option.flag)}] (default: ${shown || 'none'})`,
    };
  });
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  return [
    'Usage: switchboard serve [options]',
    '',
    'Runs the Switchboard signaling broker and serves the web app. Every option can also be set with the',
    'environment variable shown in brackets; a flag wins over its variable.',
    '',
    'Options:',
    ...rows.map((r) => r.left.padEnd(width) + r.right),
    '  --help'.padEnd(width) + 'show this help',
    '',
  ].join('\n');
}
