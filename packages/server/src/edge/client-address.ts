/**
 * The client's IP address, for per-IP connection caps and logs.
 *
 * `X-Forwarded-For` is only believed when the operator says a proxy sits in front (`trustProxy`), because
 * any client can send the header: believing it by default would let one client dodge the per-IP cap by
 * inventing addresses. With `n` trusted hops, the address `n` places from the right of
 * `X-Forwarded-For, <socket address>` is the client; entries further left are client-supplied and ignored.
 */
import { isIP, isIPv4 } from 'node:net';

/**
 * How many reverse proxies in front of the server append to `X-Forwarded-For`: `false`/`0` for none
 * (use the socket address), `true` for one.
 */
export type TrustProxy = boolean | number;

/**
 * Resolve the client address of one request.
 *
 * @param socketAddress `req.socket.remoteAddress`
 * @param forwardedFor the raw `X-Forwarded-For` header (several headers joined with commas)
 * @param trustProxy how many proxy hops to trust
 * @example
 * // one proxy (10.0.0.2) appended the real client; the first entry was typed by the client itself
 * resolveClientAddress('10.0.0.2', '198.51.100.1, 203.0.113.7', 1) // '203.0.113.7'
 */
export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: TrustProxy,
): string {
  // A socket's own address comes from the kernel, so a plain IPv4 one is already canonical: one check,
  // not normalizeAddress's four regular expressions, on every upgrade.
  const direct =
    socketAddress !== undefined && isIPv4(socketAddress)
      ? socketAddress
      : (normalizeAddress(socketAddress ?? '') ?? 'unknown');
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy;
  if (hops <= 0 || forwardedFor === undefined) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  // Bounded: a header with thousands of entries is attacker-made; we only ever need the last few.
  const chain = header
    .split(',', 64)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  chain.push(direct);
  const candidate = chain[Math.max(0, chain.length - 1 - hops)];
  return (candidate === undefined ? undefined : normalizeAddress(candidate)) ?? direct;
}

/** Canonical form, so `::ffff:1.2.3.4` and `1.2.3.4` count against the same per-IP cap. */
export function normalizeAddress(address: string): string | undefined {
  let text = address.trim();
  // Some proxies write `[v6]:port` or `v4:port`.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed !== null) text = bracketed[1] ?? text;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  if (mapped !== null) text = mapped[1] ?? text;
  const family = isIP(text);
  if (family === 0) return undefined;
  return family === 6 ? text.toLowerCase() : text;
}
