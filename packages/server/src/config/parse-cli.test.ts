import { describe, expect, it } from 'vitest';
import { envName } from './cli-option.js';
import { parseCli } from './parse-cli.js';
import { SERVE_OPTIONS } from './serve-options.js';

describe('parseCli', () => {
  it('reads flags, then environment variables, converting by kind', () => {
    const parsed = parseCli(
      SERVE_OPTIONS,
      ['--port', '9000', '--ice-server', 'stun:a:3478', '--ice-server', 'stun:b,stun:c'],
      {
        SWITCHBOARD_PORT: '1',
        SWITCHBOARD_GRACE_MS: '500',
      },
    );
    expect(parsed.values.get('port')).toBe(9000);
    expect(parsed.values.get('grace-ms')).toBe(500);
    expect(parsed.values.get('ice-server')).toEqual(['stun:a:3478', 'stun:b', 'stun:c']);
    expect(parsed.isHelp).toBe(false);
  });

  it('names the flag and its variable when a value has the wrong kind', () => {
    expect(() => parseCli(SERVE_OPTIONS, [], { SWITCHBOARD_BURST: '1.5' })).toThrow(
      '--burst (SWITCHBOARD_BURST) must be an integer, got "1.5".',
    );
  });

  it('refuses unknown flags and points at --help', () => {
    expect(() => parseCli(SERVE_OPTIONS, ['--prot', '1'], {})).toThrow(/--prot.*switchboard serve --help/);
  });

  it('derives variable names from flags', () => {
    expect(envName('max-frame-bytes')).toBe('SWITCHBOARD_MAX_FRAME_BYTES');
  });
});
