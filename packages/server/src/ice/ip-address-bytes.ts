/**
 * Text <-> bytes for IP addresses, as STUN address attributes carry them (RFC 8489 §14.1: 4 bytes for
 * IPv4, 16 for IPv6, network byte order). Node's dgram gives us text (`rinfo.address`) and has no
 * `inet_pton`, so this small pure module does the conversion. Output text follows RFC 5952 (lowercase,
 * no leading zeros, the longest run of two or more zero groups compressed, the first one on a tie).
 */

/** Parse a dotted-quad IPv4 address into 4 bytes, or `null` when it is not one. */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

/**
 * Parse an IPv6 address (with `::` compression and an optional trailing dotted quad, such as
 * `::ffff:192.0.2.1`) into 16 bytes, or `null` when it is not one. A zone suffix (`%eth0`) is ignored,
 * because the zone never travels in STUN.
 */
export function parseIpv6(text: string): Uint8Array | null {
  const zoneless = text.split('%')[0] ?? '';
  if (zoneless.length === 0 || zoneless.length > 45) return null;
  const halves = zoneless.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Parse the colon-separated groups of one side of `::`; a last dotted quad counts as two groups. */
function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === null) return null;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

/** Format 4 bytes as dotted-quad IPv4 text. */
export function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.${bytes[3] ?? 0}`;
}

/** Format 16 bytes as RFC 5952 IPv6 text. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0));
  // RFC 5952 §4.2.2-4.2.3: compress the longest run of zero groups, only if it is at least two long.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = (list: number[]): string => list.map((group) => group.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

/**
 * If `bytes` is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2), return the 4 IPv4
 * bytes. A dual-stack socket reports IPv4 clients this way, and they must be told their IPv4 address.
 */
export function unmapIpv4(bytes: Uint8Array): Uint8Array | null {
  if (bytes.length !== 16) return null;
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return null;
  if (bytes[10] !== 0xff || bytes[11] !== 0xff) return null;
  return bytes.slice(12);
}
