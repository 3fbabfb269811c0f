import { describe, expect, it } from 'vitest';
import { SERVE_OPTIONS } from './serve-options.js';
import { serveHelp } from './serve-help.js';

describe('serveHelp', () => {
  it('lists every option with its variable and default in the help', () => {
    const help = serveHelp(SERVE_OPTIONS);
    for (const option of SERVE_OPTIONS) expect(help).toContain(`--${option.flag}`);
    expect(help).toContain('[SWITCHBOARD_MAX_OUTBOX] (default: 1000)');
  });
});
