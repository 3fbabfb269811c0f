import type { SignalingClient } from '@switchboard/client';
import type { PeerMetadata } from '@switchboard/protocol';
import type { LocalMedia } from '../media/local-media.js';
import type { Announcer } from './announcer.js';

/** A full-page screen the app mounts in `<main>`, and disposes when it switches to another one. */
export interface Screen {
  readonly element: HTMLElement;
  /** Release listeners, media elements and connections the screen owns. */
  dispose(): void;
}

/** Everything the screen of a joined room needs: the room screen and the group call screen alike. */
export interface JoinedRoomOptions {
  readonly client: SignalingClient;
  readonly room: string;
  readonly self: { readonly peerId: string; readonly metadata: PeerMetadata };
  readonly media: LocalMedia;
  readonly announcer: Announcer;
  readonly inviteLink: string;
  readonly onLeave: () => void;
}
