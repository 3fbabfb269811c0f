/**
 * Adapts a named channel of an SDK `PeerLink` to the app's `TextChannel` (chat). The same adapter serves
 * calls through the broker and serverless links, because both are PeerLinks.
 */
import type { PeerLink } from '@switchboard/client';
import type { TextChannel } from '../chat/chat-channel.js';

/** The text channel called `name` on `link`. */
export function textChannelOf(link: PeerLink, name: string): TextChannel {
  const channel = link.channel(name);
  return {
    get isOpen() {
      return channel.isOpen;
    },
    send: (text) => channel.send(text),
    onMessage: (listener) =>
      channel.on('message', (message) => {
        if (message.kind === 'text') listener(message.text);
      }),
    onOpenChange: (listener) => {
      const offOpen = channel.on('open', () => listener(true));
      const offClose = channel.on('close', () => listener(false));
      return () => {
        offOpen();
        offClose();
      };
    },
  };
}
