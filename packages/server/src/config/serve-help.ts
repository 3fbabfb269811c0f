/**
 * The `--help` text of `switchboard serve`, generated from the option table so it cannot drift.
 */
import { envName, type CliOption } from './cli-option.js';
import { DEFAULT_SERVER_OPTIONS } from './server-options.js';

const d = DEFAULT_SERVER_OPTIONS;

/** A default as text: numbers and strings as they are, anything else (functions, objects) as nothing. */
function describeDefault(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
}

/** The `--help` text of `switchboard serve`, one line per option with its variable and default. */
export function serveHelp(table: readonly CliOption[]): string {
  const rows = table.map((option) => {
    const shown = option.defaultText ?? (option.key === undefined ? '' : describeDefault(d[option.key]));
    const value = option.kind === 'boolean' ? '' : ' <value>';
    return {
      left: `  --${option.flag}${value}`,
      right: `${option.description} [${envName(option.flag)}] (default: ${shown || 'none'})`,
    };
  });
  const width = Math.max(...rows.map((r) => r.left.length)) + 2;
  return [
    'Usage: switchboard serve [options]',
    '',
    'Runs the Switchboard signaling broker and serves the web app. Every option can also be set with the',
    'environment variable shown in brackets; a flag wins over its variable.',
    '',
    'Options:',
    ...rows.map((r) => r.left.padEnd(width) + r.right),
    '  --help'.padEnd(width) + 'show this help',
    '',
  ].join('\n');
}
