/**
 * Markdown tables for the measurements of one run. Every CPU and latency figure is shown next to its ratio
 * against the minimal ws relay (the floor) and PeerServer, both measured in the same run: on a shared machine
 * only ratios taken side by side mean anything.
 */
import { formatNumber, formatRatio, markdownTable } from './harness/markdown-table.js';
import type { Measurement } from './measurement.js';
import type { CapacityResult, RelayResult } from './workloads/load-job.js';

function relayOf(m: Measurement | undefined): RelayResult | undefined {
  const r = m?.result;
  return r && (r.workload === 'relay-closed' || r.workload === 'relay-open') ? r : undefined;
}

function capacityOf(m: Measurement | undefined): CapacityResult | undefined {
  const r = m?.result;
  return r?.workload === 'capacity' ? r : undefined;
}

function failure(m: Measurement): string | undefined {
  if (m.skipped !== undefined) return `skipped: ${m.skipped}`;
  if (m.result?.workload === 'failed') return `failed: ${m.result.error}`;
  return undefined;
}

function byVariant(measurements: readonly Measurement[], workload: string): Map<string, Measurement[]> {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements.filter((x) => x.workload === workload)) {
    groups.set(m.variant, [...(groups.get(m.variant) ?? []), m]);
  }
  return groups;
}

function relayTable(group: readonly Measurement[], isOpen: boolean): string {
  const floor = relayOf(group.find((m) => m.contender === 'ws-relay'));
  const peerServer = relayOf(group.find((m) => m.contender === 'peer-server'));
  const header = isOpen
    ? [
        'contender',
        'CPU µs/msg',
        '× ws',
        '× PeerServer',
        'p50 ms',
        '× ws',
        'p99 ms',
        '× ws',
        'p99.9 ms',
        'max ms',
        'lost',
        'errors',
        'gen CPU %',
      ]
    : [
        'contender',
        'msg/s',
        'CPU µs/msg',
        '× ws',
        '× PeerServer',
        'server CPU %',
        'p50 ms',
        'p99 ms',
        'max ms',
        'lost',
        'errors',
        'gen CPU %',
      ];
  const rows = group.map((m) => {
    const reason = failure(m);
    if (reason !== undefined) return [m.contender, reason];
    const r = relayOf(m)!;
    const cpu = r.serverCpuUsPerMessage;
    return isOpen
      ? [
          m.contender,
          formatNumber(cpu),
          formatRatio(cpu, floor?.serverCpuUsPerMessage),
          formatRatio(cpu, peerServer?.serverCpuUsPerMessage),
          formatNumber(r.latency.p50Ms, 2),
          formatRatio(r.latency.p50Ms, floor?.latency.p50Ms),
          formatNumber(r.latency.p99Ms, 2),
          formatRatio(r.latency.p99Ms, floor?.latency.p99Ms),
          formatNumber(r.latency.p999Ms, 2),
          formatNumber(r.latency.maxMs, 2),
          String(r.lost),
          String(r.errors),
          formatNumber(r.generatorCpuPercent, 0),
        ]
      : [
          m.contender,
          formatNumber(r.deliveredPerSecond, 0),
          formatNumber(cpu),
          formatRatio(cpu, floor?.serverCpuUsPerMessage),
          formatRatio(cpu, peerServer?.serverCpuUsPerMessage),
          formatNumber(r.serverCpuPercent, 0),
          formatNumber(r.latency.p50Ms, 2),
          formatNumber(r.latency.p99Ms, 2),
          formatNumber(r.latency.maxMs, 2),
          String(r.lost),
          String(r.errors),
          formatNumber(r.generatorCpuPercent, 0),
        ];
  });
  return markdownTable(header, rows);
}

function capacityTable(group: readonly Measurement[]): string {
  const floor = capacityOf(group.find((m) => m.contender === 'ws-relay'));
  const peerServer = capacityOf(group.find((m) => m.contender === 'peer-server'));
  const header = [
    'contender',
    'clients',
    'failed',
    'RSS KiB/conn',
    '× ws',
    '× PeerServer',
    'CPU µs/connect',
    '× ws',
    '× PeerServer',
  ];
  const rows = group.map((m) => {
    const reason = failure(m);
    if (reason !== undefined) return [m.contender, reason];
    const r = capacityOf(m)!;
    const kib = r.rssPerConnectionBytes / 1024;
    return [
      m.contender,
      String(r.clients),
      r.failed > 0 ? `${r.failed} (${r.firstFailure ?? ''})` : '0',
      formatNumber(kib, 2),
      formatRatio(kib, (floor?.rssPerConnectionBytes ?? Number.NaN) / 1024),
      formatRatio(kib, (peerServer?.rssPerConnectionBytes ?? Number.NaN) / 1024),
      formatNumber(r.serverCpuUsPerConnect, 0),
      formatRatio(r.serverCpuUsPerConnect, floor?.serverCpuUsPerConnect),
      formatRatio(r.serverCpuUsPerConnect, peerServer?.serverCpuUsPerConnect),
    ];
  });
  return markdownTable(header, rows);
}

const TITLES: Record<string, string> = {
  'relay-closed': 'Relay, closed loop',
  'relay-open': 'Relay, open loop',
  capacity: 'Capacity (idle connections)',
};

/** Sections for the Node workloads present in `measurements`. */
export function nodeReportSections(measurements: readonly Measurement[]): string[] {
  const sections: string[] = [];
  for (const workload of ['relay-closed', 'relay-open', 'capacity']) {
    for (const [variant, group] of byVariant(measurements, workload)) {
      const table =
        workload === 'capacity' ? capacityTable(group) : relayTable(group, workload === 'relay-open');
      sections.push(`### ${TITLES[workload] ?? workload}, ${variant}\n\n${table}`);
    }
  }
  return sections;
}
