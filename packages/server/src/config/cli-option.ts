/**
 * One row of a CLI option table, and how a row is named: each row gives the flag, its environment
 * variable (derived from the flag), its kind, its default as shown in `--help`, and what it sets.
 *
 * Precedence: a flag beats its environment variable, which beats the default.
 */
import type { ServerOptions } from './server-options.js';

/** How a value is read from text. */
export type CliKind = 'integer' | 'number' | 'string' | 'list' | 'boolean';

/** A parsed option value. */
export type CliValue = number | string | readonly string[] | boolean;

/** One row of the table. */
export interface CliOption {
  /** Flag without dashes (`max-frame-bytes`); the variable is `SWITCHBOARD_` + its upper snake case. */
  readonly flag: string;
  readonly kind: CliKind;
  /** One line for `--help`. */
  readonly description: string;
  /** The `ServerOptions` field it sets directly, if it is one. */
  readonly key?: keyof ServerOptions;
  /** The default as `--help` shows it (taken from DEFAULT_SERVER_OPTIONS when `key` is set). */
  readonly defaultText?: string;
}

/** The environment variable of a flag. */
export function envName(flag: string): string {
  return `SWITCHBOARD_${flag.toUpperCase().replaceAll('-', '_')}`;
}

/** How error sentences name an option: `--max-frame-bytes (SWITCHBOARD_MAX_FRAME_BYTES)`. */
export function optionLabel(flag: string): string {
  return `--${flag} (${envName(flag)})`;
}

/** The row that sets `key`, if any. */
export function optionOfKey(table: readonly CliOption[], key: keyof ServerOptions): CliOption | undefined {
  return table.find((o) => o.key === key);
}
