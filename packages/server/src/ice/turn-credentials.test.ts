import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { TurnCredentialIssuer, clampTurnTtlS, signTurnUsername } from './turn-credentials.js';

describe('TURN REST credentials', () => {
  it('matches the reference vectors (platforms.md §3.1)', () => {
    expect(signTurnUsername('my_secret', '1700000000:alice')).toBe('YQGiHZvYbDDwLriDAUONmZnIVNk=');
    expect(signTurnUsername('north', '1735412345:alice')).toBe('5ewl+WmUEHitaXhvToHQzNAcUrM=');
    const key = createHash('md5')
      .update('1700000000:alice:example.org:YQGiHZvYbDDwLriDAUONmZnIVNk=')
      .digest('hex');
    expect(key).toBe('9b3ada7419fa015857247aba50b541db');
  });

  it('issues `<expiry>:<peerId>` with the expiry TTL seconds from now, signed with the first secret', () => {
    const issuer = new TurnCredentialIssuer({
      secrets: ['north', 'south'],
      ttlS: 3600,
      now: () => 1_735_408_745_500,
    });
    const issued = issuer.issue('alice');
    expect(issued.username).toBe('1735412345:alice');
    expect(issued.credential).toBe('5ewl+WmUEHitaXhvToHQzNAcUrM=');
    expect(issued.expiresAt).toBe(1_735_412_345_000);
  });

  it('defaults to one hour and clamps the TTL to [300, 86400]', () => {
    expect(new TurnCredentialIssuer({ secrets: ['s'] }).ttlS).toBe(3600);
    expect(clampTurnTtlS(10)).toBe(300);
    expect(clampTurnTtlS(10_000_000)).toBe(86_400);
    expect(clampTurnTtlS(Number.NaN)).toBe(3600);
    expect(clampTurnTtlS(600.7)).toBe(600);
  });

  it('refuses an empty secret list or an empty secret', () => {
    expect(() => new TurnCredentialIssuer({ secrets: [] })).toThrow(/non-empty/);
    expect(() => new TurnCredentialIssuer({ secrets: ['a', ''] })).toThrow(/non-empty/);
  });

  it('never serialises its secrets', () => {
    const issuer = new TurnCredentialIssuer({ secrets: ['top-secret-value'] });
    expect(JSON.stringify(issuer)).not.toContain('top-secret-value');
    expect(JSON.stringify({ issuer })).not.toContain('top-secret-value');
  });
});
