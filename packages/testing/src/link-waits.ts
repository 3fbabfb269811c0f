/**
 * Waits on SDK links that Node-peer tests repeat: the next message on a named channel (whichever side
 * opened it), and the link a remote peer's offer creates. They never time out by themselves; wrap them
 * in the test's own timeout.
 */
import type { ChannelMessage, PeerLink, PeerManager } from '@switchboard/client';

/** The next message on channel `name` of `link`, whether the channel exists yet or is opened remotely. */
export function nextMessage(link: PeerLink, name: string): Promise<ChannelMessage> {
  return new Promise((resolve) => {
    const existing = link.channels.find((c) => c.name === name);
    if (existing !== undefined) {
      existing.once('message', resolve);
      return;
    }
    const off = link.on('channel', (channel) => {
      if (channel.name !== name) return;
      off();
      channel.once('message', resolve);
    });
  });
}

/** The link to `from`: the existing one, or the next one that `peer` creates for it. */
export function remoteLink(peer: { readonly peers: PeerManager }, from: string): Promise<PeerLink> {
  const existing = peer.peers.link(from);
  if (existing !== undefined) return Promise.resolve(existing);
  return new Promise((resolve) => {
    const off = peer.peers.on('link', (link) => {
      if (link.peerId !== from) return;
      off();
      resolve(link);
    });
  });
}
