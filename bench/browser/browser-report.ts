/** Markdown tables for the Chromium workloads, each figure next to its ratio against the floor and PeerJS. */
import { formatNumber, formatRatio, markdownTable } from '../harness/markdown-table.js';
import type { Measurement } from '../measurement.js';
import type { BrowserResult } from './browser-result.js';

const FLOOR = 'bare page over ws relay (floor)';
const PEERJS = 'peerjs + PeerServer';

function reasonOf(m: Measurement): string | undefined {
  if (m.skipped !== undefined) return `skipped: ${m.skipped}`;
  if (m.result?.workload === 'failed') return `failed: ${m.result.error}`;
  return undefined;
}

function resultOf<W extends BrowserResult['workload']>(
  group: readonly Measurement[],
  contender: string,
  workload: W,
): Extract<BrowserResult, { workload: W }> | undefined {
  const r = group.find((m) => m.contender === contender)?.result;
  return r?.workload === workload ? (r as Extract<BrowserResult, { workload: W }>) : undefined;
}

function table(group: readonly Measurement[]): string {
  const workload = group[0]!.workload;
  return workload === 'call-setup'
    ? callSetupTable(group)
    : workload === 'signaling-cost'
      ? costTable(group)
      : transferTable(group);
}

function callSetupTable(group: readonly Measurement[]): string {
  const workload = 'call-setup';
  const floor = resultOf(group, FLOOR, workload);
  const peerjs = resultOf(group, PEERJS, workload);
  return markdownTable(
    ['contender', 'runs', 'median ms', '× floor', '× PeerJS', 'min ms', 'max ms'],
    group.map((m) => {
      const r = resultOf([m], m.contender, workload);
      if (!r) return [m.contender, reasonOf(m) ?? ''];
      return [
        m.contender,
        String(r.runs),
        formatNumber(r.medianMs),
        formatRatio(r.medianMs, floor?.medianMs),
        formatRatio(r.medianMs, peerjs?.medianMs),
        formatNumber(r.minMs),
        formatNumber(r.maxMs),
      ];
    }),
  );
}

function costTable(group: readonly Measurement[]): string {
  const workload = 'signaling-cost';
  const floor = resultOf(group, FLOOR, workload);
  const totalBytes = (r: { bytesToBroker: number; bytesFromBroker: number } | undefined): number =>
    r === undefined ? Number.NaN : r.bytesToBroker + r.bytesFromBroker;
  // Totals count both directions, the way the reference figures do (PeerJS data: 8 frames, 4.0 kB).
  return markdownTable(
    [
      'contender',
      'frames (to + from)',
      'bytes (to + from)',
      '× floor bytes',
      'to broker',
      'from broker',
      'session frames / bytes',
    ],
    group.map((m) => {
      const r = resultOf([m], m.contender, workload);
      if (!r) return [m.contender, reasonOf(m) ?? ''];
      return [
        m.contender,
        String(r.framesToBroker + r.framesFromBroker),
        String(totalBytes(r)),
        formatRatio(totalBytes(r), totalBytes(floor)),
        `${r.framesToBroker} / ${r.bytesToBroker} B`,
        `${r.framesFromBroker} / ${r.bytesFromBroker} B`,
        `${r.sessionFrames} / ${r.sessionBytes} B`,
      ];
    }),
  );
}

function transferTable(group: readonly Measurement[]): string {
  const workload = 'file-transfer';
  const floor = resultOf(group, FLOOR, workload);
  const peerjs = resultOf(group, PEERJS, workload);
  return markdownTable(
    ['contender', 'MiB/s', '× floor', '× PeerJS', 'max main-thread gap ms'],
    group.map((m) => {
      const r = resultOf([m], m.contender, workload);
      if (!r) return [m.contender, reasonOf(m) ?? ''];
      return [
        m.contender,
        formatNumber(r.megabytesPerSecond),
        formatRatio(r.megabytesPerSecond, floor?.megabytesPerSecond),
        formatRatio(r.megabytesPerSecond, peerjs?.megabytesPerSecond),
        formatNumber(r.maxMainThreadGapMs, 0),
      ];
    }),
  );
}

const TITLES: Record<string, string> = {
  'call-setup': 'Call setup in Chromium (call → data channel open)',
  'signaling-cost': 'Signaling cost of one 1:1 setup (counted at the socket)',
  'file-transfer': 'File transfer between two Chromium pages',
};

/** Sections for the browser workloads present in `measurements`. */
export function browserReportSections(measurements: readonly Measurement[]): string[] {
  const sections: string[] = [];
  for (const workload of ['call-setup', 'signaling-cost', 'file-transfer']) {
    const variants = new Map<string, Measurement[]>();
    for (const m of measurements.filter((x) => x.workload === workload))
      variants.set(m.variant, [...(variants.get(m.variant) ?? []), m]);
    for (const [variant, group] of variants)
      sections.push(`### ${TITLES[workload] ?? workload}, ${variant}\n\n${table(group)}`);
  }
  return sections;
}
