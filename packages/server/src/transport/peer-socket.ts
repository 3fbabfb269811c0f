/**
 * What the session layer needs of a socket, so that only transport/ knows the WebSocket library.
 */

/** One client's socket, seen from the session layer. */
export interface PeerSocket {
  /** The client's IP address (after any trusted proxy). */
  readonly remoteAddress: string;
  /** Bytes handed to `send` that the OS has not taken yet. */
  readonly bufferedBytes: number;
  /** Whether frames can still be sent. */
  readonly isOpen: boolean;
  /**
   * Send one text frame. Does nothing once the socket is closing. `isAscii`: the caller knows `text` is
   * ASCII only (a relayed signal the decoder measured), so the transport need not check it again.
   */
  send(text: string, isAscii?: boolean): void;
  /** Close with a code and a reason (the error code), letting queued frames go out first. */
  close(code: number, reason: string): void;
  /** Drop the connection at once (dead or abusive peers). */
  terminate(): void;
}

/** What the transport tells the session layer about one socket. */
export interface PeerSocketHandler {
  /** One complete frame: `isBinary` tells a binary frame from a text one (both arrive as bytes). */
  onFrame(data: Uint8Array, isBinary: boolean): void;
  /** The socket is gone, whatever the reason. Called once. */
  onClose(code: number, reason: string): void;
}
