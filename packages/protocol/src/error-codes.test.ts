import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, ERROR_CODES, isErrorCode } from './error-codes.js';

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
/** Rows of the table in docs/errors.md: `| \`CODE\` | where | meaning |`. */
const documented = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| (server|client) \|/gm)].map((m) => ({
  code: m[1]!,
  where: m[2]!,
}));

describe('error codes', () => {
  it('lists every code of ERROR_CODES in docs/errors.md (regenerate it with scripts/errors-doc.ts)', () => {
    const missing = Object.keys(ERROR_CODES).filter((code) => !documented.some((d) => d.code === code));
    expect(missing).toEqual([]);
  });

  it('documents no code that ERROR_CODES does not define', () => {
    expect(documented.map((d) => d.code).filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('documents each code with the side that raises it', () => {
    for (const { code, where } of documented) {
      expect(ERROR_CODES[code as keyof typeof ERROR_CODES].where).toBe(where);
    }
  });

  it('uses stable SCREAMING_SNAKE names, each once', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    expect(new Set(documented.map((d) => d.code)).size).toBe(documented.length);
  });

  it('recognises codes and nothing else', () => {
    expect(isErrorCode('PEER_NOT_FOUND')).toBe(true);
    expect(isErrorCode('peer_not_found')).toBe(false);
    expect(isErrorCode('hasOwnProperty')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });

  it('keeps application close codes in the 4000-4999 range (RFC 6455 §7.4.2)', () => {
    for (const [name, code] of Object.entries(CLOSE_CODES)) {
      if (name !== 'NORMAL' && name !== 'GOING_AWAY') expect(code).toBeGreaterThanOrEqual(4000);
      expect(code).toBeLessThan(5000);
    }
    expect(new Set(Object.values(CLOSE_CODES)).size).toBe(Object.keys(CLOSE_CODES).length);
  });
});
