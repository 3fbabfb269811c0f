/**
 * Command-line knobs of the long-run scripts (`npm run fuzz`, `npm run soak`). Each knob is a flag and an
 * environment variable with the same meaning; the flag wins, so `npm run fuzz -- --frames 20000` is the
 * run it says even when a shell exported FUZZ_FRAMES. Every value is a positive integer: a typo such as
 * `--frames abc` must stop the run at once (exit 2) rather than become NaN and a run of a different size.
 */
import { parseArgs } from 'node:util';

/** One numeric knob of a script. */
export interface RunFlag {
  /** The environment variable it overrides, e.g. `FUZZ_FRAMES`. */
  readonly env: string;
  /** Used when neither the flag nor the variable is set; undefined leaves the choice to the script. */
  readonly fallback: number | undefined;
  /** One line for `--help`. */
  readonly description: string;
}

/** The knobs' values by flag name: a knob with a numeric fallback always has a value. */
export type RunFlagValues<F extends Readonly<Record<string, RunFlag>>> = {
  readonly [K in keyof F]: F[K]['fallback'] extends number ? number : number | undefined;
};

/** The values, or the one sentence that says what is wrong. */
export type RunFlagsResult<F extends Readonly<Record<string, RunFlag>>> =
  | { readonly ok: true; readonly values: RunFlagValues<F>; readonly isHelp: boolean }
  | { readonly ok: false; readonly message: string };

const DIGITS = /^[0-9]+$/;

/**
 * Read `flags` from `args` (flags named like `frames` are given as `--frames N`), falling back to `env`.
 * Unknown flags, positionals, and values that are not positive integers are refused.
 *
 * @example
 * const parsed = parseRunFlags({ frames: { env: 'FUZZ_FRAMES', fallback: 1e6, description: 'frames' } },
 *   process.argv.slice(2), process.env);
 * if (!parsed.ok) { console.error(parsed.message); process.exit(2); }
 */
export function parseRunFlags<F extends Readonly<Record<string, RunFlag>>>(
  flags: F,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): RunFlagsResult<F> {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'string' as const }])),
      },
    }).values;
  } catch (error) {
    // parseArgs names the offending flag ("Unknown option '--frame'"); keep its sentence.
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const values: Record<string, number | undefined> = {};
  for (const [name, flag] of Object.entries(flags)) {
    const fromArgs = parsed[name];
    const fromEnv = env[flag.env];
    // An empty variable counts as unset (`FUZZ_SEED= npm run fuzz`); an empty flag is a mistake.
    const [raw, source] =
      typeof fromArgs === 'string'
        ? [fromArgs, `--${name}`]
        : [fromEnv === '' ? undefined : fromEnv, flag.env];
    if (raw === undefined) {
      values[name] = flag.fallback;
      continue;
    }
    const value = Number(raw);
    if (!DIGITS.test(raw) || !Number.isSafeInteger(value) || value <= 0) {
      return { ok: false, message: `${source} must be a positive integer, got ${JSON.stringify(raw)}` };
    }
    values[name] = value;
  }
  // Every knob with a numeric fallback got a number above, which is what RunFlagValues promises.
  return { ok: true, values: values as RunFlagValues<F>, isHelp: parsed['help'] === true };
}

/** The `--help` text: one line per knob with its variable and default. */
export function formatRunFlags(command: string, flags: Readonly<Record<string, RunFlag>>): string {
  const lines = Object.entries(flags).map(([name, flag]) => {
    const fallback = flag.fallback === undefined ? '' : ` (default ${flag.fallback})`;
    return `  --${`${name} N`.padEnd(18)} ${flag.description}${fallback}; env ${flag.env}`;
  });
  return [`usage: ${command} [flags]   (flags win over environment variables)`, ...lines].join('\n');
}
