/**
 * What chat needs from a transport: send a string, hear strings. The SDK's named data channels (through
 * the broker or in serverless mode) are adapted to this, so chat itself knows nothing about WebRTC.
 */
export interface TextChannel {
  /** Whether a message sent now would go out (the channel is open). */
  readonly isOpen: boolean;
  /** Send one message; rejects when the channel is closed. */
  send(text: string): Promise<void>;
  /** Subscribe to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (text: string) => void): () => void;
  /** Subscribe to open/close changes; returns the unsubscribe function. */
  onOpenChange(listener: (isOpen: boolean) => void): () => void;
}
