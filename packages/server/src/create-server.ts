/**
 * The composition root: `createServer(options)` fills in the defaults (in-memory bus, anonymous
 * authentication, same-room policy, pino logger) and wires transport -> sessions -> rooms/relay -> bus.
 * Nothing else constructs collaborators, and nothing is a module-level singleton, so any number of servers
 * can run in one process (tests do).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { authenticateNowSafely, authenticateSafely } from './auth/authenticate-safely.js';
import { AnonymousAuthenticator } from './auth/authenticator.js';
import { LOG_REDACT_PATHS } from './auth/upgrade-token.js';
import { createListener } from './edge/tls-server.js';
import { toSignalPolicy } from './auth/signal-policy.js';
import type { ClusterBus } from './bus/cluster-bus.js';
import { InMemoryClusterBus } from './bus/in-memory-cluster-bus.js';
import {
  resolveServerOptions,
  type ResolvedServerOptions,
  type ServerOptions,
} from './config/server-options.js';
import { createHttpHandler } from './http/http-handler.js';
import { registerStunMetrics } from './ice/stun-metrics.js';
import { StunServer } from './ice/stun-server.js';
import { ServerMetrics } from './http/server-metrics.js';
import { Relay } from './relay/relay.js';
import { Presence } from './rooms/presence.js';
import { SessionManager } from './sessions/session-manager.js';
import { WebSocketTransport } from './transport/websocket-transport.js';

/** A running (or ready to run) Switchboard server. */
export interface SwitchboardServer {
  /** The validated, frozen options. */
  readonly options: ResolvedServerOptions;
  /** The underlying HTTP server (for tests and for mounting extra listeners). */
  readonly httpServer: Server;
  /** The cluster bus in use. */
  readonly bus: ClusterBus;
  /** The logger in use. */
  readonly logger: Logger;
  /** The Prometheus metrics (registry and counters). */
  readonly metrics: ServerMetrics;
  /** The embedded STUN server, when `options.stun` enables it. */
  readonly stun: StunServer | undefined;
  /** Start the bus and listen. Resolves with the bound port (useful with `port: 0`). */
  listen(): Promise<{ readonly port: number; readonly host: string }>;
  /**
   * Graceful stop (SIGTERM): stop accepting, send `server-going-away`, finish in-flight requests, wait
   * (up to `drainTimeoutMs`) for clients to acknowledge, close every socket, then close the bus.
   */
  drain(): Promise<void>;
  /** Immediate stop: sockets are dropped (their sessions keep their grace window in the bus). */
  close(): Promise<void>;
}

/**
 * Create a server. Nothing listens until `listen()`.
 *
 * @example
 * const server = createServer({ port: 0, logLevel: 'silent' });
 * const { port } = await server.listen();
 * // clients connect to ws://localhost:${port}/ws
 * await server.drain();
 */
export function createServer(options: Partial<ServerOptions> = {}): SwitchboardServer {
  const resolved = resolveServerOptions(options);
  const logger =
    resolved.logger ?? pino({ level: resolved.logLevel, redact: [...LOG_REDACT_PATHS, 'auth.token'] });
  const bus = resolved.bus ?? new InMemoryClusterBus();
  const authenticator = resolved.authenticator ?? new AnonymousAuthenticator();

  // The metrics read live figures from the session manager, which needs the metrics: the closures below
  // reach `sessions` only when called (at scrape time, or on a presence overflow), after it exists.
  const metrics: ServerMetrics = new ServerMetrics({
    sessions: () => sessions.sessions.size,
    connections: () => sessions.connectionCount,
    rooms: () => new Set([...sessions.sessions.values()].flatMap((s) => s.rooms)).size,
    outbox: () => {
      let total = 0;
      let max = 0;
      for (const session of sessions.sessions.values()) {
        const depth = Math.max(0, session.lastSentSeq - session.ackedSeq);
        total += depth;
        max = Math.max(max, depth);
      }
      return { total, max };
    },
  });
  const stun =
    resolved.stun === false
      ? undefined
      : new StunServer({ ...resolved.stun, logger: logger.child({ component: 'stun' }) });
  if (stun !== undefined) registerStunMetrics(metrics.registry, () => stun.counters);
  const presence = new Presence(
    bus,
    {
      maxRoomsPerSession: resolved.maxRoomsPerSession,
      maxMetadataBytes: resolved.maxMetadataBytes,
      maxPeersPerRoom: resolved.maxPeersPerRoom,
    },
    (peerId) => sessions.evict(peerId),
  );
  const relay = new Relay(bus, toSignalPolicy(resolved.signalPolicy), metrics.countSignalRelayed);
  const sessions: SessionManager = new SessionManager({
    bus,
    options: resolved,
    authenticator,
    presence,
    relay,
    metrics,
    logger,
    iceServers: resolved.iceServers,
  });

  // HTTPS when TLS material is given (wss:// on the same port), plain HTTP otherwise.
  const httpServer: Server = createListener(
    resolved.tls,
    createHttpHandler({
      registry: metrics.registry,
      isReady: () => bus.isReady && !sessions.isDraining,
      staticDir: resolved.staticDir,
      onError: (error) => logger.error({ err: error }, 'HTTP request failed'),
    }),
  );
  const onUpgradeAuthError = (error: unknown): void =>
    logger.warn({ err: error }, 'authenticator failed at upgrade');
  const transport = new WebSocketTransport(
    httpServer,
    {
      maxFrameBytes: resolved.maxFrameBytes,
      maxConnectionsPerIp: resolved.maxConnectionsPerIp,
      pingIntervalMs: resolved.pingIntervalMs,
      pongTimeoutMs: resolved.pongTimeoutMs,
      trustProxy: resolved.trustProxy,
      allowedOrigins: resolved.allowedOrigins,
    },
    {
      get isDraining() {
        return sessions.isDraining;
      },
      authenticate: (auth) => authenticateSafely(authenticator, auth, onUpgradeAuthError),
      authenticateNow: (auth) => authenticateNowSafely(authenticator, auth, onUpgradeAuthError),
      accept: (socket, auth, principal, urlHello) => sessions.accept(socket, auth, principal, urlHello),
      countError: (code) => sessions.countError(code),
    },
  );

  let isClosed = false;
  const stopHttp = (): Promise<void> =>
    new Promise((resolve) => {
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
  const finish = async (): Promise<void> => {
    transport.close();
    await Promise.all([...sessions.sessions.values()].map((s) => s.whenIdle()));
    sessions.stop();
    await stun?.close();
    await bus.close();
    await stopHttp();
  };

  return {
    options: resolved,
    httpServer,
    bus,
    logger,
    metrics,
    stun,
    async listen() {
      await bus.start(sessions, {
        maxOutbox: resolved.maxOutbox,
        maxPeersPerRoom: resolved.maxPeersPerRoom,
        graceMs: resolved.graceMs,
      });
      sessions.start();
      await stun?.listen();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(resolved.port, resolved.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      logger.info({ port: address.port, host: resolved.host, nodeId: bus.nodeId }, 'switchboard listening');
      return { port: address.port, host: resolved.host };
    },
    async drain() {
      if (isClosed) return;
      isClosed = true;
      logger.info({ sessions: sessions.sessions.size }, 'draining');
      httpServer.close(); // stop accepting new TCP connections; upgrades on kept-alive ones are refused while draining
      await sessions.drain('drain');
      await finish();
      logger.info('drained');
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      await finish();
    },
  };
}
