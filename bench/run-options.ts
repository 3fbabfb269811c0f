/**
 * Command line of `npm run bench`: `--quick` (a short pass, under 2 minutes), `--only a,b` (workloads),
 * `--contenders a,b`, `--out DIR`.
 */
import { parseArgs } from 'node:util';
import { CONTENDER_NAMES, type ContenderName } from './contenders/contender-specs.js';

/** Every workload, in the order issue 7 lists them. */
export const WORKLOAD_NAMES = [
  'relay-closed',
  'relay-open',
  'capacity',
  'call-setup',
  'signaling-cost',
  'file-transfer',
] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Parsed options. */
export interface RunOptions {
  isQuick: boolean;
  workloads: WorkloadName[];
  contenders: ContenderName[];
  outDir: string;
}

function pick<T extends string>(list: string | undefined, all: readonly T[], what: string): T[] {
  if (list === undefined) return [...all];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!all.includes(name as T)) throw new Error(`unknown ${what} "${name}"; choose from ${all.join(', ')}`);
  }
  return all.filter((name) => names.includes(name));
}

/** Parse argv; throws one exact sentence per mistake. */
export function parseRunOptions(argv: readonly string[], defaultOutDir: string): RunOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      contenders: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  return {
    isQuick: values.quick,
    workloads: pick(values.only, WORKLOAD_NAMES, 'workload'),
    contenders: pick(values.contenders, CONTENDER_NAMES, 'contender'),
    outDir: values.out ?? defaultOutDir,
  };
}
