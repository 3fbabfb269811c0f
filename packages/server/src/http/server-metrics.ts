/**
 * The server's Prometheus metrics, on a registry of its own (never prom-client's global one, so several
 * servers in one process, as in tests, do not collide).
 *
 * Everything is named `switchboard_*`: prom-client's process and Node.js metrics too
 * (`switchboard_process_cpu_seconds_total`, `switchboard_nodejs_eventloop_lag_seconds`), since their own
 * names already start with `process_`/`nodejs_`.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Names of the limits whose hits are counted (`switchboard_limit_hits_total{limit}`). */
export type LimitName =
  | 'frame_size'
  | 'rate'
  | 'outbox'
  | 'rooms_per_session'
  | 'peers_per_room'
  | 'connections_per_ip'
  | 'handshake_timeout'
  | 'slow_consumer'
  | 'metadata_size';

/** Live figures the metrics read when scraped, so the hot path updates no gauge. */
export interface MetricsSource {
  /** Sessions attached to this node. */
  sessions(): number;
  /** Open WebSocket connections, established or not. */
  connections(): number;
  /** Distinct rooms the sessions of this node are in. */
  rooms(): number;
  /** Sum and maximum of unacknowledged outbox frames over this node's sessions. */
  outbox(): { readonly total: number; readonly max: number };
}

export class ServerMetrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  /**
   * Count one signal appended to a target's outbox (`switchboard_signals_relayed_total`). A plain number,
   * published when scraped: prom-client's `inc()` allocates a labels object and a result per call, once
   * per relayed signal.
   */
  readonly countSignalRelayed = (): void => {
    this.#signalsRelayed += 1;
  };
  /** Error frames sent, by code. */
  readonly errors: Counter<'code'>;
  /** Limit hits, by limit. */
  readonly limitHits: Counter<'limit'>;
  /** Messages refused by their type's rate limit, by type. */
  readonly typeRateLimited: Counter<'type'>;
  /** Sessions ended because their token expired without a refresh. */
  readonly tokenExpiries: Counter;
  #signalsRelayed = 0;

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
    const signalsRelayed = (): number => this.#signalsRelayed;
    new Counter({
      name: 'switchboard_signals_relayed_total',
      help: 'Signals accepted into a target outbox',
      registers,
      collect() {
        this.reset();
        this.inc(signalsRelayed());
      },
    });
    this.errors = new Counter({
      name: 'switchboard_errors_total',
      help: 'Error frames sent to clients, by code',
      labelNames: ['code'],
      registers,
    });
    this.limitHits = new Counter({
      name: 'switchboard_limit_hits_total',
      help: 'Times a limit refused or closed something, by limit',
      labelNames: ['limit'],
      registers,
    });
    this.typeRateLimited = new Counter({
      name: 'switchboard_type_rate_limited_total',
      help: 'Messages refused with RATE_LIMITED by the rate limit of their type, by type',
      labelNames: ['type'],
      registers,
    });
    this.tokenExpiries = new Counter({
      name: 'switchboard_token_expiries_total',
      help: 'Sessions ended with TOKEN_EXPIRED because their token ran out without a refresh',
      registers,
    });
    new Gauge({
      name: 'switchboard_sessions',
      help: 'Sessions attached to this node',
      registers,
      collect() {
        this.set(source.sessions());
      },
    });
    new Gauge({
      name: 'switchboard_connections',
      help: 'Open WebSocket connections',
      registers,
      collect() {
        this.set(source.connections());
      },
    });
    new Gauge({
      name: 'switchboard_rooms',
      help: 'Distinct rooms the sessions of this node are in',
      registers,
      collect() {
        this.set(source.rooms());
      },
    });
    new Gauge({
      name: 'switchboard_outbox_depth_frames',
      help: 'Outbox depth: unacknowledged frames summed over the sessions of this node',
      registers,
      collect() {
        this.set(source.outbox().total);
      },
    });
    new Gauge({
      name: 'switchboard_outbox_depth_max_frames',
      help: 'Outbox depth of the deepest session of this node, in unacknowledged frames',
      registers,
      collect() {
        this.set(source.outbox().max);
      },
    });
  }
}
