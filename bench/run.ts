/**
 * `npm run bench [-- --quick] [--only w1,w2] [--contenders c1,c2]`: runs each selected workload against
 * each contender, every contender as a fresh process pinned to core 0 with a fresh load generator pinned to
 * core 1, prints Markdown tables and writes the raw results to bench/results/<timestamp>.json (+ .md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONTENDERS, REPO_ROOT } from './contenders/contender-specs.js';
import { describeMachine } from './harness/machine.js';
import { freePort } from './harness/free-port.js';
import { runLoadJob } from './harness/loadgen-process.js';
import { startServerProcess } from './harness/server-process.js';
import type { Measurement } from './measurement.js';
import { planNodeWorkloads, type NodeWorkloadPlan } from './node-workload-plans.js';
import { nodeReportSections } from './report-tables.js';
import { parseRunOptions, type RunOptions } from './run-options.js';
import { runBrowserWorkloads, BROWSER_WORKLOADS } from './browser/run-browser-workloads.js';
import { browserReportSections } from './browser/browser-report.js';

/** Pause after a server starts before measuring: module loading and startup GC are not what we compare. */
const serverSettleMs = (isQuick: boolean): number => (isQuick ? 500 : 2_000);

async function measure(plan: NodeWorkloadPlan, options: RunOptions): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const name of options.contenders) {
    const spec = CONTENDERS[name];
    const base = { workload: plan.workload, variant: plan.variant, contender: name };
    const reason = spec.unavailableReason();
    if (reason !== undefined) {
      out.push({ ...base, skipped: reason });
      continue;
    }
    const port = await freePort();
    let server;
    try {
      server = await startServerProcess(spec.argv(port), port, REPO_ROOT);
    } catch (error) {
      out.push({ ...base, result: { workload: 'failed', error: `start: ${(error as Error).message}` } });
      continue;
    }
    try {
      await new Promise((r) => setTimeout(r, serverSettleMs(options.isQuick)));
      const result = await runLoadJob(
        plan.makeJob({ protocol: spec.protocol, port, serverPid: server.pid }),
        plan.timeoutMs,
      );
      out.push({ ...base, result });
    } catch (error) {
      out.push({ ...base, result: { workload: 'failed', error: (error as Error).message } });
    } finally {
      await server.stop();
    }
    const last = out.at(-1)!;
    process.stderr.write(
      `  ${plan.workload} ${plan.variant} ${name}: ${JSON.stringify(last.result ?? last.skipped).slice(0, 160)}\n`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const options = parseRunOptions(
    process.argv.slice(2),
    fileURLToPath(new URL('./results/', import.meta.url)),
  );
  const machine = describeMachine();
  const started = new Date();
  process.stderr.write(`bench ${options.isQuick ? '--quick ' : ''}on ${machine.summary}\n`);
  const measurements: Measurement[] = [];
  for (const plan of planNodeWorkloads(options.workloads, options.isQuick)) {
    measurements.push(...(await measure(plan, options)));
  }
  const browserWorkloads = options.workloads.filter((w) => BROWSER_WORKLOADS.includes(w));
  if (browserWorkloads.length > 0)
    measurements.push(...(await runBrowserWorkloads(browserWorkloads, options)));

  const seconds = (Date.now() - started.getTime()) / 1000;
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  const markdown = [
    `## Run of ${started.toISOString()} (${seconds.toFixed(0)} s)`,
    `Command: \`${command}\`  \nMachine: ${machine.summary}`,
    ...nodeReportSections(measurements),
    ...browserReportSections(measurements),
  ].join('\n\n');
  process.stdout.write(`${markdown}\n`);
  mkdirSync(options.outDir, { recursive: true });
  const stem = `${options.outDir}/${started.toISOString().replaceAll(':', '-')}`;
  writeFileSync(
    `${stem}.json`,
    JSON.stringify({ started, seconds, command, options, machine, measurements }, null, 2),
  );
  writeFileSync(`${stem}.md`, `${markdown}\n`);
  process.stderr.write(`results: ${stem}.json\n`);
}

await main();
