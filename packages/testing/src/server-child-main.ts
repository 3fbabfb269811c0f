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
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
