/**
 * Turns the CLI's NAT traversal flags into server options: the embedded STUN server (on by default for
 * `switchboard serve`, port 3478) and the ICE server provider that hands each peer our STUN URL, any
 * `--ice-server` URLs and, with `--turn-url`, TURN URLs with credentials issued for that peer.
 */
import type { IceServerProvider } from '../ice-server-provider.js';
import { createIceServerProvider, deriveStunUrl } from './ice-servers.js';
import type { StunServerOptions } from './stun-server.js';

/** The flag values this reads (already parsed and typed by the option table). */
export interface IceCliValues {
  /** `--stun` / `--no-stun`. @default true */
  readonly stun?: boolean | undefined;
  /** `--stun-port`. @default 3478 */
  readonly stunPort?: number | undefined;
  /** `--stun-host`. @default '0.0.0.0' */
  readonly stunHost?: string | undefined;
  /** `--stun-public-url`. @default derived from the STUN host and port */
  readonly stunPublicUrl?: string | undefined;
  /** `--ice-server` (repeatable): handed out as given. @default [] */
  readonly iceServerUrls?: readonly string[] | undefined;
  /** `--turn-url` (repeatable). @default [] */
  readonly turnUrls?: readonly string[] | undefined;
  /** `--turn-secret` (repeatable; env SWITCHBOARD_TURN_SECRET comma-separated). @default [] */
  readonly turnSecrets?: readonly string[] | undefined;
  /** `--turn-ttl-s`. @default 3600 */
  readonly turnTtlS?: number | undefined;
}

/** What `createServer` takes from these flags. */
export interface IceServerOptionsPart {
  readonly stun: StunServerOptions | false;
  readonly iceServers: IceServerProvider;
}

const isStunUrl = (url: string): boolean => url.startsWith('stun:') || url.startsWith('stuns:');
const isTurnUrl = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');

/**
 * Compose the STUN server options and the ICE server provider.
 * @throws SwitchboardError('INVALID_OPTIONS') for a malformed URL or TURN URLs without a secret
 */
export function composeIceOptions(values: IceCliValues): IceServerOptionsPart {
  const isStunOn = values.stun ?? true;
  const stun: StunServerOptions | false = isStunOn
    ? { port: values.stunPort ?? 3478, host: values.stunHost ?? '0.0.0.0' }
    : false;
  const given = values.iceServerUrls ?? [];
  const ownStun =
    stun === false ? [] : [values.stunPublicUrl ?? deriveStunUrl(stun.host ?? '0.0.0.0', stun.port ?? 3478)];
  return {
    stun,
    iceServers: createIceServerProvider({
      stunUrls: [...ownStun, ...given.filter(isStunUrl)],
      // A TURN URL given with --ice-server carries no credentials of ours; treat it like --turn-url.
      turnUrls: [...(values.turnUrls ?? []), ...given.filter(isTurnUrl)],
      turnSecrets: values.turnSecrets ?? [],
      ...(values.turnTtlS === undefined ? {} : { turnTtlS: values.turnTtlS }),
    }),
  };
}
