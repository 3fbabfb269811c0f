/**
 * Entry of the server child process (server-child.ts): `createServer(JSON options)` on loopback, port 0,
 * the port as one JSON line on stdout, SIGTERM to close. Any unhandled fault exits loudly.
 */
import { createServer } from '@switchboard/server';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`UNHANDLED REJECTION: ${String((reason as Error | undefined)?.stack ?? reason)}\n`);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`UNCAUGHT EXCEPTION: ${error.stack ?? String(error)}\n`);
  process.exit(71);
});

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const server = createServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
const { port } = await server.listen();
process.stdout.write(`${JSON.stringify({ port })}\n`);
// The soak asks for the live heap: a full collection first, so the figure is what is retained, not what
// is waiting to be collected (the harness starts this child with --expose-gc and an IPC channel).
process.on('message', (message: unknown) => {
  if ((message as { type?: string } | null)?.type !== 'live-heap') return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send?.({ type: 'live-heap', bytes: process.memoryUsage().heapUsed });
});
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
