/**
 * The in-page half of the browser test harness. page-harness.ts bundles this file with esbuild into one
 * IIFE that the test page loads from the broker's own origin. It puts the whole SDK on `window.Switchboard`
 * and a few helpers on `window.harness`. The helpers only join the broker, record what the SDK reports, and
 * answer questions that cross the page boundary (hashes, video state). Each test drives the SDK itself, in
 * `page.evaluate`.
 *
 * Everything the page records is plain data (strings, numbers, arrays), because Playwright copies values
 * out of the page by structured serialisation and `page.waitForFunction` polls them.
 */
import * as Switchboard from '@switchboard/client';
import {
  CallController,
  PeerManager,
  SignalingClient,
  signalChannelFromClient,
  type ChannelMessage,
  type PeerLink,
  type PeerLinkOptions,
} from '@switchboard/client';

/** A channel message as it crosses into the test: bytes as a plain array of numbers. */
export type RecordedMessage =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'binary'; readonly bytes: number; readonly sha256: string };

/** What the page saw, in order. Tests poll these with `page.waitForFunction`. */
export interface PageRecord {
  /** `code: message` of every error the SDK reported (peer manager, links, calls). */
  readonly errors: string[];
  /** Every message received on any named channel. */
  readonly messages: { readonly from: string; readonly channel: string; readonly message: RecordedMessage }[];
  /** Every `stream` event of every link. */
  readonly streams: { readonly from: string; readonly streamId: string }[];
  /** Every `ice-restart` and `ice-recovered` event, as `restart:<reason>` and `recovered`. */
  readonly ice: string[];
  /**
   * A short line per peer-layer signal received through the broker (`sdp:offer ufrag=…`, `ice:2 ufrag=…`,
   * `call:invite`), so that a failed test can show how a negotiation went.
   */
  readonly signals: string[];
}

/** The page's peer, once `harness.join()` ran. */
export interface PagePeer {
  readonly peerId: string;
  readonly client: SignalingClient;
  readonly peers: PeerManager;
  readonly calls: CallController;
}

/** Options of `harness.join()`. */
export interface PageJoinOptions {
  readonly room: string;
  readonly nickname: string;
  /** Link options for every link of the page's PeerManager (e.g. `iceMode`, `iceTransportPolicy`). */
  readonly link?: PeerLinkOptions;
}

/** `window.harness`. */
export interface PeerPageHarness {
  readonly record: PageRecord;
  /**
   * Values a test keeps between two `page.evaluate` calls, typically a promise armed in one call (so the
   * listener exists before the other side acts) and awaited in a later one.
   */
  readonly stash: Record<string, unknown>;
  /** Set by `join()`. */
  peer: PagePeer | undefined;
  /** Connects to the broker that served this page, joins `room` and records what the SDK reports. */
  join(options: PageJoinOptions): Promise<string>;
  /** Records the events of `manager` and of every link it makes (`join()` does this for its own manager). */
  watch(manager: PeerManager): void;
  /**
   * Opens channel `name` on `link` and records its messages. Channels the remote side opens are recorded
   * by themselves; the ones this side opens do not fire `channel`, so open them through here.
   */
  channel(link: PeerLink, name: string): Switchboard.PeerChannel;
  /** The link to `peerId`: the existing one, or the next one a remote offer creates. */
  linkTo(peerId: string, timeoutMs?: number): Promise<PeerLink>;
  /** Shows `stream` in a muted, autoplaying `<video id=elementId>` (created on first use). */
  showStream(stream: MediaStream, elementId: string): void;
  /** Playback state of `<video id=elementId>`, or undefined when there is no such video. */
  videoState(elementId: string): VideoState | undefined;
  /** A Blob of `bytes` random bytes. */
  randomBlob(bytes: number, type?: string): Blob;
  /** SHA-256 of `data` in lower-case hex (WebCrypto, independent of the SDK's own hashing). */
  sha256Hex(data: Blob | Uint8Array): Promise<string>;
  /** Turns a channel message into plain data (bytes are hashed, not copied). */
  toRecorded(message: ChannelMessage): Promise<RecordedMessage>;
  /** Rejects with a message naming `what` when `promise` has not settled within `timeoutMs`. */
  within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T>;
}

/** What a `<video>` element is doing. */
export interface VideoState {
  readonly videoWidth: number;
  readonly videoHeight: number;
  readonly currentTime: number;
  readonly paused: boolean;
  readonly readyState: number;
}

/** The page's globals, for `page.evaluate` callbacks: `(window as unknown as PeerPageWindow).harness`. */
export interface PeerPageWindow {
  readonly Switchboard: typeof Switchboard;
  readonly harness: PeerPageHarness;
}

function describeError(error: unknown): string {
  if (error instanceof Switchboard.SwitchboardError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(describeError(error)));
      },
    );
  });
}

async function sha256Hex(data: Blob | Uint8Array): Promise<string> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : data.slice().buffer;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function toRecorded(message: ChannelMessage): Promise<RecordedMessage> {
  if (message.kind !== 'binary') return message;
  return { kind: 'binary', bytes: message.data.byteLength, sha256: await sha256Hex(message.data) };
}

function randomBlob(bytes: number, type = 'application/octet-stream'): Blob {
  // getRandomValues fills at most 65,536 bytes per call (WebCrypto's quota).
  const data = new Uint8Array(bytes);
  for (let offset = 0; offset < bytes; offset += 65_536)
    crypto.getRandomValues(data.subarray(offset, Math.min(bytes, offset + 65_536)));
  return new Blob([data], { type });
}

const record: PageRecord = { errors: [], messages: [], streams: [], ice: [], signals: [] };

function summariseSignal(data: unknown): string {
  const signal = data as {
    k?: unknown;
    t?: unknown;
    s?: unknown;
    z?: unknown;
    c?: unknown;
    e?: unknown;
    op?: unknown;
  };
  // Descriptions between two current SDKs travel packed (`z`, ADR 0021).
  const sdp =
    typeof signal.s === 'string'
      ? signal.s
      : typeof signal.z === 'string'
        ? Switchboard.unpackSdp(signal.z)
        : undefined;
  if (signal.k === 'sdp' && sdp !== undefined) {
    const ufrag = /a=ice-ufrag:(\S+)/.exec(sdp)?.[1] ?? '?';
    return `sdp:${String(signal.t)} ufrag=${ufrag}`;
  }
  if (signal.k === 'ice' && Array.isArray(signal.c)) {
    const ufrags = new Set(signal.c.map((c: unknown) => (Array.isArray(c) ? String(c[3]) : '?')));
    return `ice:${signal.c.length}${signal.e === 1 ? '+end' : ''} ufrag=${[...ufrags].join(',')}`;
  }
  return signal.k === 'call' ? `call:${String(signal.op)}` : String(signal.k);
}

const watched = new WeakSet<Switchboard.PeerChannel>();

function watchChannel(from: string, channel: Switchboard.PeerChannel): Switchboard.PeerChannel {
  if (watched.has(channel)) return channel;
  watched.add(channel);
  channel.on('message', (message) => {
    // Binary messages are hashed asynchronously; keep arrival order by recording a placeholder first.
    const entry = { from, channel: channel.name, message: { kind: 'text', text: '' } as RecordedMessage };
    record.messages.push(entry);
    void toRecorded(message).then((recorded) => (entry.message = recorded));
  });
  channel.on('error', (error) => record.errors.push(describeError(error)));
  return channel;
}

function watchLink(link: PeerLink): void {
  const from = link.peerId;
  for (const channel of link.channels) watchChannel(from, channel);
  link.on('channel', (channel) => watchChannel(from, channel));
  link.on('stream', (stream) => record.streams.push({ from, streamId: stream.id }));
  link.on('ice-restart', (info) => record.ice.push(`restart:${info.reason}`));
  link.on('ice-recovered', () => record.ice.push('recovered'));
  link.on('error', (error) => record.errors.push(describeError(error)));
}

function watch(manager: PeerManager): void {
  for (const link of manager.links) watchLink(link);
  manager.on('link', watchLink);
}

const harness: PeerPageHarness = {
  record,
  stash: {},
  peer: undefined,
  async join({ room, nickname, link = {} }) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const client = new SignalingClient({ url: `${scheme}://${location.host}/ws` });
    client.on('signal', (_from, data) => record.signals.push(summariseSignal(data)));
    await client.connect();
    await client.join(room, { nickname });
    const peerId = client.peerId;
    if (peerId === undefined) throw new Error('connected without a peer id');
    const peers = new PeerManager({ ...link, signals: signalChannelFromClient(client) });
    watch(peers);
    const calls = new CallController({
      peers,
      publishStatus: (status) => client.updateMetadata({ status }),
    });
    calls.on('error', (error) => record.errors.push(describeError(error)));
    harness.peer = { peerId, client, peers, calls };
    return peerId;
  },
  watch,
  channel: (link, name) => watchChannel(link.peerId, link.channel(name)),
  linkTo(peerId, timeoutMs = 20_000) {
    const peers = harness.peer?.peers;
    if (peers === undefined) return Promise.reject(new Error('harness.join() has not run'));
    const existing = peers.link(peerId);
    if (existing !== undefined) return Promise.resolve(existing);
    return within(
      new Promise<PeerLink>((resolve) => {
        const off = peers.on('link', (link) => {
          if (link.peerId !== peerId) return;
          off();
          resolve(link);
        });
      }),
      timeoutMs,
      `a link from ${peerId}`,
    );
  },
  showStream(stream, elementId) {
    let video = document.getElementById(elementId) as HTMLVideoElement | null;
    if (video === null) {
      video = document.createElement('video');
      video.id = elementId;
      video.autoplay = true;
      video.playsInline = true;
      // Muted: two fake microphones on one machine would otherwise feed back; the audio track still flows.
      video.muted = true;
      document.body.append(video);
    }
    video.srcObject = stream;
  },
  videoState(elementId) {
    const video = document.getElementById(elementId) as HTMLVideoElement | null;
    if (video === null) return undefined;
    const { videoWidth, videoHeight, currentTime, paused, readyState } = video;
    return { videoWidth, videoHeight, currentTime, paused, readyState };
  },
  randomBlob,
  sha256Hex,
  toRecorded,
  within,
};

Object.assign(window, { Switchboard, harness });
