/**
 * `PeerLink.whenConnected()`: one promise over the link's `connected` and `close` events, with a timeout.
 */
import { SwitchboardError } from '@switchboard/protocol';
import type { PeerLinkEvents } from './peer-link-events.js';
import type { Subscribable } from './typed-emitter.js';

/** What the wait reads from a link. */
export interface ConnectableLink extends Subscribable<PeerLinkEvents> {
  readonly peerId: string;
  readonly isConnected: boolean;
  readonly isClosed: boolean;
}

/** Resolves when `link` is connected; rejects with `TIMEOUT` after `timeoutMs`, or `CONNECTION_CLOSED`. */
export function whenLinkConnected(link: ConnectableLink, timeoutMs: number): Promise<void> {
  if (link.isConnected) return Promise.resolve();
  if (link.isClosed) return Promise.reject(new SwitchboardError('CONNECTION_CLOSED', 'The link is closed.'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      offUp();
      offClose();
      reject(
        new SwitchboardError('TIMEOUT', `The link to ${link.peerId} did not connect within ${timeoutMs} ms.`),
      );
    }, timeoutMs);
    const offUp = link.once('connected', () => {
      clearTimeout(timer);
      offClose();
      resolve();
    });
    const offClose = link.once('close', () => {
      clearTimeout(timer);
      offUp();
      reject(
        new SwitchboardError('CONNECTION_CLOSED', `The link to ${link.peerId} closed before connecting.`),
      );
    });
  });
}
