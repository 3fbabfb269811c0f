#!/usr/bin/env node
/* global process, URL */
// The `switchboard` command. With a build (npm run build) it runs dist/cli.js; without one (right after
// `npm ci`) it runs src/cli.ts through tsx, with the `source` export condition so that workspace packages
// resolve to their TypeScript sources too. Signals are forwarded so that SIGTERM still drains gracefully.
//
// Either way the process runs with V8's allocation-site pretenuring off (ADR 0020): under relay load V8
// pretenured short-lived objects (ws's per-message fragment arrays), and the scavenger then kept their young
// payloads alive and promoted them. A flag given on node's own command line wins.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

const PRETENURING_FLAG = '--no-allocation-site-pretenuring';
const chosenByUser = process.execArgv.some((arg) => arg.includes('allocation-site-pretenuring'));
const built = new URL('../dist/cli.js', import.meta.url);

if (existsSync(fileURLToPath(built))) {
  // Set before the server allocates anything; V8 reads it at every scavenge.
  if (!chosenByUser) setFlagsFromString(PRETENURING_FLAG);
  const { main } = await import(built.href);
  process.exit(await main(process.argv.slice(2)));
} else {
  const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    [
      ...(chosenByUser
        ? process.execArgv.filter((arg) => arg.includes('allocation-site-pretenuring'))
        : [PRETENURING_FLAG]),
      '--conditions=source',
      '--import',
      tsx,
      source,
      ...process.argv.slice(2),
    ],
    {
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}
