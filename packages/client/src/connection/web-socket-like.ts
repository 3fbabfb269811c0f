/**
 * The slice of the WebSocket API the SDK uses. Both the browser's `WebSocket` and the `ws` package's
 * `WebSocket` satisfy it, so Node, browsers and tests share one code path (y-websocket's `WebSocketPolyfill`,
 * simple-peer's `wrtc`). Only the event-handler properties are used, because `ws` implements them with the
 * same semantics as browsers (text frames arrive as strings).
 */

/** A message event: text frames carry a string. */
export interface WebSocketMessageEventLike {
  readonly data: unknown;
}

/** A close event: `code` and `reason` come from the closing handshake (1006 and '' when the TCP link died). */
export interface WebSocketCloseEventLike {
  readonly code: number;
  readonly reason: string;
}

/** One WebSocket as the SDK sees it. */
export interface WebSocketLike {
  /** 0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED (the WHATWG values). */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** Destroy the connection at once, without a closing handshake (the `ws` package has it; browsers do not). */
  terminate?(): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
