/**
 * The command line every anchor contender takes: `--port P --host H`. Each anchor prints `listening <port>`
 * once it accepts connections, so the harness can wait for a line instead of polling.
 */
import { parseArgs } from 'node:util';

/** Where an anchor contender listens. */
export interface ListenArgs {
  port: number;
  host: string;
}

/** Read `--port` (default 0: any free port) and `--host` (default 127.0.0.1: the bench is loopback-only). */
export function readListenArgs(argv: readonly string[] = process.argv.slice(2)): ListenArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } },
    strict: true,
  });
  return { port: Number.parseInt(values.port, 10), host: values.host };
}

/** Announce readiness on stdout in the one format the harness parses. */
export function announceListening(port: number): void {
  process.stdout.write(`listening ${port}\n`);
}
