/**
 * Client of the Switchboard server speaking its wire protocol (packages/protocol) directly, like the SDK
 * does on the hot path: hello in the upgrade URL (`?v=1`, as the SDK says it) → welcome, join (one room per pair, since by default only peers sharing a room
 * may signal) → roster, then `signal` requests with strictly increasing ids. Received sequenced frames are
 * acknowledged the way the SDK does it (packages/client/src/connection/ack-scheduler.ts): the cumulative ack
 * rides on the next `signal` as its `ack` field; a standalone `ack` frame goes only after the welcome's
 * `limits.ackDelayMs` of quiet, or at once when ACK_EVERY frames wait. Those acks are part of what
 * Switchboard's delivery guarantee costs, so they stay in the measurement.
 */
import { HELLO_QUERY_PARAMETER, PROTOCOL_VERSION } from '@switchboard/protocol';
import type { ConnectPeer, SignalingPeer } from './signaling-peer.js';
import { openSocket } from './open-socket.js';

/** The WebSocket path the Switchboard server accepts upgrades on. */
export const SWITCHBOARD_WS_PATH = process.env['SWITCHBOARD_BENCH_WS_PATH'] ?? '/';
/** The SDK's `ACK_EVERY_FRAMES` (outbound-requests.ts): a standalone ack once this many frames wait. */
const ACK_EVERY = 32;
/** Used when the welcome names no delay (the server's default `ackDelayMs`). */
const FALLBACK_ACK_DELAY_MS = 1000;

interface Frame {
  type: string;
  seq?: number;
  ref?: number;
  limits?: { ackDelayMs?: number };
  peerId?: string;
  data?: unknown;
  code?: string;
}

/**
 * The upgrade URL's query that says hello (PROTOCOL.md): the SDK connects this way, so the bench does too. The
 * server answers the upgrade with the 101 response and the welcome together.
 */
const URL_HELLO = `${HELLO_QUERY_PARAMETER}=${PROTOCOL_VERSION}`;

/** Connect saying hello in the URL and wait for welcome; with `room`, also join it and wait for the roster. */
export const connectSwitchboardPeer: ConnectPeer = async ({ port, name, room, localAddress }) => {
  const path = `${SWITCHBOARD_WS_PATH}${SWITCHBOARD_WS_PATH.includes('?') ? '&' : '?'}${URL_HELLO}`;
  const socket = await openSocket(`ws://127.0.0.1:${port}${path}`, localAddress);
  // openSocket captures frames from the socket's creation, so a welcome that came with the 101 is queued.
  const first = await socket.next((text) => JSON.parse(text) as Frame, 'welcome');
  if (first.type !== 'welcome' || typeof first.peerId !== 'string') {
    socket.terminate();
    throw new Error(`Switchboard answered the URL hello with ${JSON.stringify(first)}`);
  }
  let nextId = 1;
  let lastSeq = 0;
  let ackedSeq = 0;
  let ackTimer: NodeJS.Timeout | undefined;
  let errors = 0;
  const flushAck = (): void => {
    if (ackTimer) clearTimeout(ackTimer);
    ackTimer = undefined;
    if (lastSeq > ackedSeq && socket.socket.readyState === socket.socket.OPEN) {
      socket.send(`{"type":"ack","seq":${lastSeq}}`);
      ackedSeq = lastSeq;
    }
  };
  const ackDelayMs = first.limits?.ackDelayMs ?? FALLBACK_ACK_DELAY_MS;
  const noteSeq = (seq: number | undefined): void => {
    if (seq === undefined) return;
    lastSeq = seq;
    if (lastSeq - ackedSeq >= ACK_EVERY) flushAck();
    else ackTimer ??= setTimeout(flushAck, ackDelayMs);
  };
  /** `,"ack":N` for the next request when frames wait unacknowledged, as the SDK's `takePiggyback`. */
  const piggybackAck = (): string => {
    if (lastSeq <= ackedSeq) return '';
    ackedSeq = lastSeq;
    return `,"ack":${lastSeq}`;
  };

  if (room !== undefined) {
    const joinId = nextId++;
    const roster = socket.next((text) => {
      const frame = JSON.parse(text) as Frame;
      return frame.ref === joinId ? frame : undefined;
    }, 'roster');
    socket.send(JSON.stringify({ type: 'join', id: joinId, room, metadata: { nickname: name } }));
    const answer = await roster;
    noteSeq(answer.seq);
    if (answer.type !== 'roster') {
      socket.terminate();
      throw new Error(`Switchboard refused join: ${JSON.stringify(answer)}`);
    }
  }

  const peer: SignalingPeer = {
    address: first.peerId,
    get errors() {
      return errors;
    },
    onData: () => undefined,
    send(to, _n, payloadJson) {
      socket.send(`{"type":"signal","id":${nextId++},"to":"${to}","data":${payloadJson}${piggybackAck()}}`);
    },
    close() {
      if (ackTimer) clearTimeout(ackTimer);
      socket.terminate();
    },
  };
  socket.onFrame = (text) => {
    const frame = JSON.parse(text) as Frame;
    noteSeq(frame.seq);
    if (frame.type === 'signal') peer.onData(frame.data);
    else if (frame.type === 'error') errors++;
  };
  return peer;
};
