import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/protocol';
import { createIceServerProvider, deriveStunUrl, formatStunUrl } from './ice-servers.js';
import { signTurnUsername } from './turn-credentials.js';

const NOW = 1_700_000_000_000;

describe('createIceServerProvider', () => {
  it('gives STUN only, with no expiry, when no TURN is configured', () => {
    const provide = createIceServerProvider({ stunUrls: ['stun:192.0.2.1:3478', 'stun:stun.example.org'] });
    expect(provide('p1')).toEqual({
      iceServers: [{ urls: ['stun:192.0.2.1:3478', 'stun:stun.example.org'] }],
    });
  });

  it('issues per-peer TURN credentials valid for every TURN URL, signed with the first secret', () => {
    const provide = createIceServerProvider({
      stunUrls: ['stun:192.0.2.1:3478'],
      turnUrls: [
        'turn:turn.example.org:3478?transport=udp',
        'turn:turn.example.org:3478?transport=tcp',
        'turns:turn.example.org:5349?transport=tcp',
      ],
      turnSecrets: ['new', 'old'],
      turnTtlS: 600,
      now: () => NOW,
    });
    const { iceServers, expiresAt } = provide('peer-7');
    expect(expiresAt).toBe(NOW + 600_000);
    expect(iceServers[0]).toEqual({ urls: ['stun:192.0.2.1:3478'] });
    const turn = iceServers[1]!;
    expect(turn.urls).toHaveLength(3);
    expect(turn.username).toBe(`${NOW / 1000 + 600}:peer-7`);
    expect(turn.credential).toBe(signTurnUsername('new', turn.username!));
    expect(provide('peer-8').iceServers[1]!.username).toBe(`${NOW / 1000 + 600}:peer-8`);
  });

  it('returns a fresh list each call, so a caller cannot corrupt the next peer’s', () => {
    const provide = createIceServerProvider({ stunUrls: ['stun:a.example:3478'] });
    const first = provide('a');
    (first.iceServers[0]!.urls as string[]).push('stun:evil.example');
    expect(provide('b').iceServers[0]!.urls).toEqual(['stun:a.example:3478']);
  });

  it('explains each configuration mistake in one sentence', () => {
    const mistakes: [Parameters<typeof createIceServerProvider>[0], RegExp][] = [
      [{ stunUrls: ['http://x'] }, /STUN URL "http:\/\/x" must look like/],
      [{ turnUrls: ['turn:x?transport=sctp'], turnSecrets: ['s'] }, /TURN URL .* must look like/],
      [{ turnUrls: ['turn:x:3478'] }, /TURN URLs need a TURN secret/],
      [{ turnUrls: ['turn:x:3478'], turnSecrets: [''] }, /must not be empty/],
    ];
    for (const [options, message] of mistakes) {
      expect(() => createIceServerProvider(options)).toThrow(message);
      expect(() => createIceServerProvider(options)).toThrow(SwitchboardError);
    }
  });
});

describe('deriveStunUrl', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
    eth0: [
      { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 2 },
      { address: 'fd00::2', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 },
      { address: '192.0.2.2', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
    ],
  } as const;

  it('uses a concrete bind address as is, with IPv6 in brackets', () => {
    expect(deriveStunUrl('203.0.113.1', 3478, {})).toBe('stun:203.0.113.1:3478');
    expect(deriveStunUrl('::1', 3478, {})).toBe('stun:[::1]:3478');
    expect(formatStunUrl('2001:db8::1', 1)).toBe('stun:[2001:db8::1]:1');
  });

  it('picks the first external IPv4 for a wildcard bind, and 127.0.0.1 when there is none', () => {
    expect(deriveStunUrl('0.0.0.0', 3478, interfaces as never)).toBe('stun:192.0.2.2:3478');
    expect(deriveStunUrl('0.0.0.0', 3478, { lo: interfaces.lo } as never)).toBe('stun:127.0.0.1:3478');
    expect(deriveStunUrl('::', 3478, { eth0: [interfaces.eth0[1]] })).toBe('stun:[fd00::2]:3478');
  });
});
