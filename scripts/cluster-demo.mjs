#!/usr/bin/env node
/**
 * `npm run cluster:demo`: a local cluster to try multi-node Switchboard: one redis-server (no persistence)
 * and 3 nodes on ports 8081-8083, all on 127.0.0.1. Open http://127.0.0.1:8081 and http://127.0.0.1:8082
 * in two windows and call across nodes. Ctrl-C stops everything this script started (by pid).
 *
 * Env: REDIS_PORT (default 6399), BASE_PORT (default 8081).
 */
import { spawn } from 'node:child_process';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const redisPort = Number(process.env.REDIS_PORT ?? 6399);
const basePort = Number(process.env.BASE_PORT ?? 8081);
const bin = fileURLToPath(new URL('../packages/server/bin/switchboard.js', import.meta.url));
const redisServer = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

if (!existsSync(redisServer)) {
  process.stderr.write(
    `redis-server not found at ${redisServer}; install it (apt-get install redis-server).\n`,
  );
  process.exit(1);
}

const children = [];
const redis = spawn(
  redisServer,
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
children.push(redis);
process.stdout.write(`redis-server pid ${redis.pid} on 127.0.0.1:${redisPort}\n`);

for (let i = 0; i < 3; i += 1) {
  const port = basePort + i;
  const args = [
    bin,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--redis',
    `redis://127.0.0.1:${redisPort}`,
  ];
  // Only the first node runs the embedded STUN server: its UDP port can be bound once per machine.
  if (i > 0) args.push('--no-stun');
  const node = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(node);
  process.stdout.write(`node ${i + 1} pid ${node.pid}: http://127.0.0.1:${port}\n`);
}

const stop = () => {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
