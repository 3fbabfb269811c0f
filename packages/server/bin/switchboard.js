#!/usr/bin/env node
/* global process, URL */
// The `switchboard` command. With a build (npm run build) it runs dist/cli.js; without one (right after
// `npm ci`) it runs src/cli.ts through tsx, with the `source` export condition so that workspace packages
// resolve to their TypeScript sources too. Signals are forwarded so that SIGTERM still drains gracefully.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);

if (existsSync(fileURLToPath(built))) {
  const { main } = await import(built.href);
  process.exit(await main(process.argv.slice(2)));
} else {
  const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsx, source, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}
