import { describe, expect, it } from 'vitest';
import { formatRunFlags, parseRunFlags, type RunFlag } from './parse-run-flags.js';

const FLAGS = {
  frames: { env: 'FUZZ_FRAMES', fallback: 1_000_000, description: 'frames to send' },
  seed: { env: 'FUZZ_SEED', fallback: undefined, description: 'fast-check seed' },
} satisfies Record<string, RunFlag>;

describe('parseRunFlags', () => {
  it('uses the defaults when neither a flag nor a variable is set', () => {
    expect(parseRunFlags(FLAGS, [], {})).toEqual({
      ok: true,
      values: { frames: 1_000_000, seed: undefined },
      isHelp: false,
    });
  });

  it('reads the environment variable, and lets the flag win over it', () => {
    const env = { FUZZ_FRAMES: '50000', FUZZ_SEED: '7' };
    expect(parseRunFlags(FLAGS, [], env)).toMatchObject({ ok: true, values: { frames: 50_000, seed: 7 } });
    expect(parseRunFlags(FLAGS, ['--frames', '20000'], env)).toMatchObject({
      ok: true,
      values: { frames: 20_000, seed: 7 },
    });
    expect(parseRunFlags(FLAGS, ['--seed=123'], env)).toMatchObject({ values: { seed: 123 } });
  });

  it('treats an empty variable as unset', () => {
    expect(parseRunFlags(FLAGS, [], { FUZZ_FRAMES: '' })).toMatchObject({ values: { frames: 1_000_000 } });
  });

  it.each([['abc'], ['0'], ['-5'], ['2.5'], ['1e4'], [''], ['9007199254740993']])(
    'refuses --frames %j with a sentence naming the flag',
    (value) => {
      expect(parseRunFlags(FLAGS, [`--frames=${value}`], {})).toEqual({
        ok: false,
        message: `--frames must be a positive integer, got ${JSON.stringify(value)}`,
      });
    },
  );

  it('refuses a bad environment value, naming the variable', () => {
    expect(parseRunFlags(FLAGS, [], { FUZZ_FRAMES: 'lots' })).toEqual({
      ok: false,
      message: 'FUZZ_FRAMES must be a positive integer, got "lots"',
    });
  });

  it('refuses unknown flags, positionals and a flag without its value', () => {
    for (const args of [['--frame', '5'], ['20000'], ['--frames']]) {
      const result = parseRunFlags(FLAGS, args, {});
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
    }
    expect(parseRunFlags(FLAGS, ['--frame', '5'], {})).toMatchObject({ message: /--frame/ });
  });

  it('recognizes --help', () => {
    expect(parseRunFlags(FLAGS, ['--help'], {})).toMatchObject({ ok: true, isHelp: true });
    expect(formatRunFlags('npm run fuzz --', FLAGS)).toContain('--frames N');
  });
});
