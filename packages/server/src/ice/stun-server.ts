/**
 * The embedded STUN Binding server (RFC 8489 over UDP). Peers ask it "what is my address as the internet
 * sees it?" and gather a server-reflexive (srflx) ICE candidate from the answer. It keeps no state per
 * client: each datagram is answered by `respondToStun`, and this class only owns the socket and counters.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { pino, type Logger } from 'pino';
import { toStunAddress, type StunAddress } from './stun-address.js';
import { respondToStun } from './stun-responder.js';

/** Options of `StunServer`. */
export interface StunServerOptions {
  /** UDP port to listen on; 0 picks a free one (tests). @default 3478 */
  readonly port?: number;
  /**
   * Address to bind. An IPv6 address (or `::`) opens a udp6 socket; `::` is dual-stack on Linux, and IPv4
   * clients then appear as `::ffff:a.b.c.d` and are answered with their IPv4 address.
   * @default '0.0.0.0'
   */
  readonly host?: string;
  /** SOFTWARE attribute text in responses; omitted by default so the server is harder to fingerprint. @default undefined */
  readonly software?: string;
  /** Where to log (pino). Nothing is logged per packet. @default a disabled logger */
  readonly logger?: Logger;
}

/** Counters for `/metrics`. Every datagram lands in exactly one of requests/indications/dropped. */
export interface StunServerCounters {
  /** STUN requests received (well-formed, class request). */
  readonly requests: number;
  /** Binding success responses sent. */
  readonly responses: number;
  /** Error responses sent (400 for other methods, 420 for unknown comprehension-required attributes). */
  readonly errors: number;
  /** Binding indications received (keepalives; never answered). */
  readonly indications: number;
  /** Datagrams dropped silently: malformed, not STUN, or a response we never asked for. */
  readonly dropped: number;
}

const DEFAULTS = { port: 3478, host: '0.0.0.0' } as const;

/**
 * A STUN Binding server on one UDP socket.
 *
 * @example
 * const stun = new StunServer({ port: 3478, host: '0.0.0.0', logger });
 * const { address, port } = await stun.listen();
 * // … later
 * await stun.close();
 */
export class StunServer {
  readonly #port: number;
  readonly #host: string;
  readonly #software: string | undefined;
  readonly #logger: Logger;
  #socket: Socket | undefined;
  #address: StunAddress | undefined;
  #requests = 0;
  #responses = 0;
  #errors = 0;
  #indications = 0;
  #dropped = 0;

  constructor(options: StunServerOptions = {}) {
    const port = options.port ?? DEFAULTS.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`stun port must be an integer from 0 to 65535, got ${String(port)}`);
    }
    this.#port = port;
    this.#host = options.host ?? DEFAULTS.host;
    this.#software = options.software;
    this.#logger = options.logger ?? pino({ enabled: false });
  }

  /** The bound address once listening, else `undefined`. */
  get address(): StunAddress | undefined {
    return this.#address;
  }

  /** A snapshot of the counters. */
  get counters(): StunServerCounters {
    return {
      requests: this.#requests,
      responses: this.#responses,
      errors: this.#errors,
      indications: this.#indications,
      dropped: this.#dropped,
    };
  }

  /** Bind the socket. Rejects when the port is taken or the address is not local. */
  async listen(): Promise<StunAddress> {
    if (this.#socket !== undefined) throw new Error('StunServer is already listening');
    const socket = createSocket({ type: isIPv6(this.#host) ? 'udp6' : 'udp4' });
    this.#socket = socket;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(this.#port, this.#host, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      this.#socket = undefined;
      socket.close();
      throw error;
    }
    // After bind, a socket error (for example ICMP feedback surfacing as EHOSTUNREACH on send) must not
    // crash the process: STUN over UDP is best effort, and clients retransmit (RFC 8489 §6.2.1).
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'stun socket error'));
    socket.on('message', (packet, remote) => this.#onPacket(packet, remote));
    const bound = socket.address();
    this.#address = toStunAddress(bound.address, bound.port) ?? {
      family: 'IPv4',
      address: bound.address,
      port: bound.port,
    };
    this.#logger.info({ stunAddress: this.#address.address, stunPort: this.#address.port }, 'stun listening');
    return this.#address;
  }

  /** Close the socket. Safe to call twice. */
  async close(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined) return;
    this.#socket = undefined;
    this.#address = undefined;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  #onPacket(packet: Buffer, remote: RemoteInfo): void {
    const source = toStunAddress(remote.address, remote.port);
    if (source === null) {
      this.#dropped++;
      return;
    }
    const reply = respondToStun(packet, source, { software: this.#software });
    switch (reply.kind) {
      case 'dropped':
        this.#dropped++;
        return;
      case 'indication':
        this.#indications++;
        return;
      case 'success':
        this.#requests++;
        this.#responses++;
        break;
      case 'error':
        this.#requests++;
        this.#errors++;
        break;
    }
    this.#socket?.send(reply.response, remote.port, remote.address, (error) => {
      if (error !== null) this.#logger.debug({ err: error }, 'stun send failed');
    });
  }
}
