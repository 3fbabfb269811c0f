/**
 * What the workloads see of a contender: one connected client that can send a payload to another client's
 * address and hands every relayed payload to `onData`. One adapter per wire protocol implements it, so the
 * workloads are written once and every contender runs the exact same schedule.
 */

/** A connected, registered (welcomed, OPENed, …) client of one contender. */
export interface SignalingPeer {
  /** What other clients put in their `to`/`dst` to reach this one. */
  readonly address: string;
  /**
   * Send the n-th payload (JSON text from signal-payloads.ts) to `to`. `n` picks the message kind where the
   * protocol names it (PeerJS OFFER vs CANDIDATE).
   */
  send(to: string, n: number, payloadJson: string): void;
  /** Called with each relayed payload, already parsed. */
  onData: (data: unknown) => void;
  /** Protocol errors the server reported to this client (Switchboard `error` frames, PeerServer ERROR…). */
  readonly errors: number;
  /** Close the socket and stop any timers. */
  close(): void;
}

/** How to reach a contender, and how a client should present itself. */
export interface ConnectOptions {
  port: number;
  /** Unique per client in one run; becomes the id for anchors that let clients pick their id. */
  name: string;
  /** The room the client joins where the protocol has rooms (Switchboard): one room per pair. */
  room?: string;
  /** Source address to bind, to spread many clients over 127.0.0.x when ephemeral ports run short. */
  localAddress?: string;
}

/** Connect one client and wait until the server has registered it. */
export type ConnectPeer = (options: ConnectOptions) => Promise<SignalingPeer>;
