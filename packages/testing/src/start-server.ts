/**
 * Start a real Switchboard server on a free loopback port, for integration tests.
 */
import { createServer, type ServerOptions, type SwitchboardServer } from '@switchboard/server';

/** A started test server. */
export interface StartedServer {
  /** The WebSocket URL clients connect to. */
  readonly url: string;
  /** The HTTP base URL (no trailing slash). */
  readonly httpUrl: string;
  readonly port: number;
  readonly server: SwitchboardServer;
  /** Stop it at once (sockets dropped). */
  close(): Promise<void>;
}

/**
 * Start a server on `127.0.0.1`, port 0, logging nothing unless `options.logLevel` says otherwise.
 * @example
 * const started = await startServer({ graceMs: 500 });
 * afterAll(() => started.close());
 */
export async function startServer(options: Partial<ServerOptions> = {}): Promise<StartedServer> {
  const server = createServer({ host: '127.0.0.1', logLevel: 'silent', ...options, port: 0 });
  const { port } = await server.listen();
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    httpUrl: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () => server.close(),
  };
}
