/**
 * The ICE server list each peer receives in its welcome: our own STUN server, any external STUN URLs, and
 * TURN URLs with credentials issued for that peer (`turn-credentials.ts`). The provider is called per
 * welcome, so a resumed or refreshed session always gets fresh credentials. Nothing here logs, because
 * the output contains credentials.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { isIPv6 } from 'node:net';
import type { IceServer } from '@switchboard/protocol';
import { SwitchboardError } from '@switchboard/protocol';
import type { IceServerProvider } from '../ice-server-provider.js';
import { TurnCredentialIssuer } from './turn-credentials.js';

/** Options of `createIceServerProvider`. */
export interface IceServerProviderOptions {
  /** STUN URLs given to every peer (`stun:` or `stuns:`), ours first (see `deriveStunUrl`). @default [] */
  readonly stunUrls?: readonly string[];
  /**
   * TURN URLs (`turn:` or `turns:`, optionally `?transport=udp|tcp`). They share one credential per peer,
   * so list every transport of one coturn deployment here. @default []
   */
  readonly turnUrls?: readonly string[];
  /** coturn `static-auth-secret` values, newest first; required when `turnUrls` is not empty. @default [] */
  readonly turnSecrets?: readonly string[];
  /** TURN credential lifetime in seconds, clamped to [300, 86400]. @default 3600 */
  readonly turnTtlS?: number;
  /** Clock in epoch ms (tests). @default Date.now */
  readonly now?: () => number;
}

// RFC 7064 (stun/stuns) and RFC 7065 (turn/turns): scheme, host (name, IPv4 or [IPv6]), optional port,
// and for TURN an optional transport.
const STUN_URL = /^stuns?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;
const TURN_URL = /^turns?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:\?transport=(?:udp|tcp))?$/;

function invalid(message: string): SwitchboardError {
  return new SwitchboardError('INVALID_OPTIONS', message);
}

/**
 * Build the provider the server calls for every welcome.
 *
 * @example
 * const iceServers = createIceServerProvider({
 *   stunUrls: ['stun:stun.example.org:3478'],
 *   turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'],
 *   turnSecrets: [process.env.SWITCHBOARD_TURN_SECRET!],
 * });
 */
export function createIceServerProvider(options: IceServerProviderOptions): IceServerProvider {
  const stunUrls = [...(options.stunUrls ?? [])];
  const turnUrls = [...(options.turnUrls ?? [])];
  const secrets = options.turnSecrets ?? [];
  for (const url of stunUrls) {
    if (!STUN_URL.test(url))
      throw invalid(`STUN URL ${JSON.stringify(url)} must look like stun:host:port or stuns:host:port.`);
  }
  for (const url of turnUrls) {
    if (!TURN_URL.test(url)) {
      throw invalid(
        `TURN URL ${JSON.stringify(url)} must look like turn:host:port?transport=udp|tcp or turns:host:port?transport=tcp.`,
      );
    }
  }
  if (turnUrls.length > 0 && secrets.length === 0) {
    throw invalid(
      'TURN URLs need a TURN secret (--turn-secret or SWITCHBOARD_TURN_SECRET), the same as coturn static-auth-secret.',
    );
  }
  if (secrets.some((secret) => secret.length === 0)) throw invalid('TURN secrets must not be empty strings.');
  const issuer =
    turnUrls.length > 0
      ? new TurnCredentialIssuer({
          secrets,
          ...(options.turnTtlS === undefined ? {} : { ttlS: options.turnTtlS }),
          ...(options.now === undefined ? {} : { now: options.now }),
        })
      : undefined;
  // A fresh list per call: the caller may mutate what it gets, and must not corrupt the next peer's.
  const stunEntry = (): IceServer[] => (stunUrls.length > 0 ? [{ urls: [...stunUrls] }] : []);

  return (peerId: string) => {
    if (issuer === undefined) return { iceServers: stunEntry() };
    const { username, credential, expiresAt } = issuer.issue(peerId);
    return {
      iceServers: [...stunEntry(), { urls: [...turnUrls], username, credential }],
      expiresAt,
    };
  };
}

/** Format a STUN URL for a host and port (IPv6 in brackets, RFC 7064 §3.1). */
export function formatStunUrl(host: string, port: number): string {
  return `stun:${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/**
 * The STUN URL clients should use for our embedded server when the operator did not give one
 * (`--stun-public-url`). A concrete bind address is used as is. For a wildcard bind (`0.0.0.0`, `::`)
 * the first non-internal address of the machine is the best guess (IPv4 first, since every client
 * stack has it); behind a load balancer or NAT the operator must set the public URL instead.
 */
export function deriveStunUrl(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  if (host !== '0.0.0.0' && host !== '::' && host !== '') return formatStunUrl(host, port);
  const addresses = Object.values(interfaces)
    .flat()
    .filter((info): info is NetworkInterfaceInfo => info !== undefined && !info.internal);
  const ipv4 = addresses.find((info) => info.family === 'IPv4');
  // Link-local IPv6 (fe80::/10) needs a zone that a URL cannot carry.
  const ipv6 = addresses.find((info) => info.family === 'IPv6' && !/^fe[89ab]/i.test(info.address));
  const picked = ipv4?.address ?? (host === '::' ? ipv6?.address : undefined) ?? '127.0.0.1';
  return formatStunUrl(picked, port);
}
