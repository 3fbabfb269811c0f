/**
 * Reads the command line, then the environment, for every row of an option table, converting each value
 * by its kind. Mistakes become `INVALID_OPTIONS` with one sentence naming the flag and its variable.
 */
import { parseArgs } from 'node:util';
import { SwitchboardError } from '@switchboard/protocol';
import { envName, optionLabel, type CliOption, type CliValue } from './cli-option.js';

/** The outcome of reading the command line and environment. */
export interface ParsedCli {
  /** Values that were given (by flag or variable), by flag name. */
  readonly values: ReadonlyMap<string, CliValue>;
  readonly isHelp: boolean;
}

/**
 * Read flags (then environment variables) for every row of `table`.
 * @throws SwitchboardError('INVALID_OPTIONS') naming the first bad flag or value
 */
export function parseCli(
  table: readonly CliOption[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ParsedCli {
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {
    help: { type: 'boolean' },
  };
  for (const option of table) {
    spec[option.flag] =
      option.kind === 'boolean'
        ? { type: 'boolean' }
        : option.kind === 'list'
          ? { type: 'string', multiple: true }
          : { type: 'string' };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: spec,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n', 1)[0] : String(cause);
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${message} Run \`switchboard serve --help\` for the options.`,
      { cause },
    );
  }
  const values = new Map<string, CliValue>();
  for (const option of table) {
    const raw = parsed.values[option.flag] ?? env[envName(option.flag)];
    if (raw === undefined || raw === '') continue;
    values.set(option.flag, convert(option, raw));
  }
  return { values, isHelp: parsed.values['help'] === true };
}

function convert(option: CliOption, raw: string | boolean | (string | boolean)[]): CliValue {
  const label = optionLabel(option.flag);
  if (option.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const text = String(raw).toLowerCase();
    if (['1', 'true', 'yes'].includes(text)) return true;
    if (['0', 'false', 'no'].includes(text)) return false;
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${label} must be true or false, got ${JSON.stringify(raw)}.`,
    );
  }
  if (option.kind === 'list') {
    const items = (Array.isArray(raw) ? raw : [raw]).flatMap((item) => String(item).split(','));
    return items.map((item) => item.trim()).filter((item) => item !== '');
  }
  const text = String(raw).trim();
  if (option.kind === 'string') return text;
  const number = Number(text);
  const isValid =
    text !== '' && Number.isFinite(number) && (option.kind === 'number' || Number.isInteger(number));
  if (!isValid) {
    throw new SwitchboardError(
      'INVALID_OPTIONS',
      `${label} must be ${option.kind === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}.`,
    );
  }
  return number;
}
