/**
 * The two Redis connections of a node: one for commands and one in subscriber mode (Redis allows no
 * commands on a subscribed connection). ioredis reconnects both by itself; this class only reports
 * whether both are usable, so the bus can go not-ready and recover without a process restart.
 *
 * Commands fail fast while a connection is down (no offline queue, no resend of in-flight commands):
 * a resent `deliver` could append a frame twice, and a queued one could reach a Redis that lost its data
 * before this node wrote its sessions back. The bus waits for readiness itself instead.
 */
import { Redis } from 'ioredis';
import type { BusLogger } from './redis-cluster-bus-options.js';

/** Reconnect quickly, then every second: a restarted Redis is usually back within a second or two. */
function retryDelayMs(attempt: number): number {
  return Math.min(attempt * 100, 1000);
}

/** Callbacks of `RedisConnections`. */
export interface RedisConnectionEvents {
  /** A message arrived on this node's channel. */
  onMessage(message: string): void;
  /** Either connection changed state; read `isConnected`. */
  onChange(): void;
}

/** The command and subscriber connections of one node. */
export class RedisConnections {
  /** For commands and scripts. */
  readonly command: Redis;
  /** Subscribed to this node's channel only. */
  readonly subscriber: Redis;
  readonly #channel: string;
  readonly #logger: BusLogger;
  #hasLoggedOutage = false;

  constructor(url: string, channel: string, logger: BusLogger, events: RedisConnectionEvents) {
    const options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      retryStrategy: retryDelayMs,
    };
    this.command = new Redis(url, { ...options, connectionName: 'switchboard-command' });
    this.subscriber = new Redis(url, { ...options, connectionName: 'switchboard-subscriber' });
    this.#channel = channel;
    this.#logger = logger;
    for (const client of [this.command, this.subscriber]) {
      for (const event of ['ready', 'close', 'end', 'reconnecting'])
        client.on(event, () => events.onChange());
      client.on('error', (error: unknown) => this.#onError(error));
      client.on('ready', () => (this.#hasLoggedOutage = false));
    }
    this.subscriber.on('message', (_channel: string, message: string) => events.onMessage(message));
  }

  /** Both connections are up. */
  get isConnected(): boolean {
    return this.command.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Connect both and subscribe. Rejects if Redis cannot be reached now. */
  async connect(): Promise<void> {
    await Promise.all([this.command.connect(), this.subscriber.connect()]);
    await this.subscribe();
  }

  /**
   * (Re)subscribe to this node's channel and wait for the confirmation. ioredis resubscribes by itself
   * after a reconnect, but only awaiting our own SUBSCRIBE tells us when publishes are heard again, which
   * must be before the outboxes are read back, or frames published in between would be missed.
   */
  async subscribe(): Promise<void> {
    await this.subscriber.subscribe(this.#channel);
  }

  /** Close both connections. */
  async close(): Promise<void> {
    await Promise.allSettled([this.command.quit(), this.subscriber.quit()]);
    this.command.disconnect();
    this.subscriber.disconnect();
  }

  /** Drop both connections at once, with no QUIT and no reconnect. */
  drop(): void {
    this.command.disconnect();
    this.subscriber.disconnect();
  }

  #onError(error: unknown): void {
    // ioredis reports every failed reconnect attempt; one line per outage is enough.
    if (this.#hasLoggedOutage) return;
    this.#hasLoggedOutage = true;
    this.#logger.warn({ err: error }, 'Redis connection error; reconnecting');
  }
}
