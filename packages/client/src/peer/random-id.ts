/**
 * Random identifiers for calls and transfers. Uses `crypto.getRandomValues`, which (unlike `randomUUID`)
 * also exists on pages served over plain http from a LAN address, where the web app may run.
 */

/** A random URL-safe id of `bytes` random bytes (default 12, i.e. 96 bits, 16 characters). */
export function randomId(bytes = 12): string {
  const raw = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(raw);
  let text = '';
  for (const byte of raw) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
