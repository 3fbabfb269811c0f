/**
 * The four contenders and how each is started as its own process. Anchors run from this folder; Switchboard
 * runs through its real CLI, with the limits that would refuse a load test (per-connection message rate,
 * connections per IP) raised to values the workloads never reach. Validation, seq/ack and the outbox stay on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProtocolName } from '../clients/connect-peer-for.js';

/** The contenders, in report order: Switchboard first, the floor last. */
export const CONTENDER_NAMES = ['switchboard', 'peer-server', 'socketio', 'ws-relay'] as const;
export type ContenderName = (typeof CONTENDER_NAMES)[number];

/** How to start one contender. */
export interface ContenderSpec {
  name: ContenderName;
  /** Human label for tables. */
  label: string;
  protocol: ProtocolName;
  /** The full argv to run it on `port`. */
  argv(port: number): string[];
  /** Why it cannot run here, or undefined when it can. */
  unavailableReason(): string | undefined;
}

/** The repository root (bench/ lives directly under it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SWITCHBOARD_BIN = `${REPO_ROOT}packages/server/bin/switchboard.js`;

/** Flags the bench passes to `switchboard serve` when that CLI knows them; values far beyond any workload. */
const SWITCHBOARD_BENCH_FLAGS: readonly (readonly [string, string?])[] = [
  ['--no-stun'],
  ['--log-level', 'warn'],
  ['--rate', '1000000'],
  ['--burst', '1000000'],
  ['--max-connections-per-ip', '1000000'],
];

let switchboardHelp: string | undefined;
function switchboardHelpText(): string {
  switchboardHelp ??= execFileSync(process.execPath, [SWITCHBOARD_BIN, 'serve', '--help'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return switchboardHelp;
}

/** The Switchboard flags this build of the CLI supports, with their values. */
export function switchboardFlags(): string[] {
  const help = switchboardHelpText();
  return SWITCHBOARD_BENCH_FLAGS.filter(([flag]) => help.includes(flag)).flat() as string[];
}

function anchor(name: ContenderName, label: string, protocol: ProtocolName, file: string): ContenderSpec {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return {
    name,
    label,
    protocol,
    argv: (port) => [
      process.execPath,
      '--import',
      'tsx',
      path,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    unavailableReason: () => undefined,
  };
}

/** Every contender's spec. */
export const CONTENDERS: Record<ContenderName, ContenderSpec> = {
  switchboard: {
    name: 'switchboard',
    label: 'Switchboard',
    protocol: 'switchboard',
    argv: (port) => [
      process.execPath,
      SWITCHBOARD_BIN,
      'serve',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      ...switchboardFlags(),
    ],
    unavailableReason() {
      if (!existsSync(SWITCHBOARD_BIN)) return 'packages/server/bin/switchboard.js does not exist yet';
      try {
        switchboardHelpText();
        return undefined;
      } catch (error) {
        return `\`switchboard serve --help\` failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      }
    },
  },
  'peer-server': anchor('peer-server', 'PeerServer 1.0.2', 'peerjs', './peer-server.ts'),
  socketio: anchor('socketio', 'socket.io 4 relay', 'socketio', './socketio-relay.ts'),
  'ws-relay': anchor('ws-relay', 'minimal ws relay', 'ws-relay', './ws-relay.ts'),
};
