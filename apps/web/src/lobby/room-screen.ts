/**
 * A room: who is here (live presence), your mirror and photo booth, and calls. Presence comes from the
 * SignalingClient's roster and diffs; this screen only re-renders from `client.peers(room)` on each event,
 * so it can never drift from what the SDK knows.
 */
import type { PeerStatus } from '@switchboard/protocol';
import { PhotoBooth } from '../booth/photo-booth.js';
import { RoomCalls } from '../call/room-calls.js';
import { MirrorView } from '../mirror/mirror-view.js';
import { AppHeader } from '../shell/app-header.js';
import { createIdFactory, h } from '../shell/dom.js';
import type { JoinedRoomOptions, Screen } from '../shell/screen.js';
import { ContactList } from './contact-list.js';
import { createInviteLink } from './invite-link.js';

import './lobby.css';

const nextId = createIdFactory('room');

/** The room screen. */
export class RoomScreen implements Screen {
  readonly element: HTMLElement;
  readonly #options: JoinedRoomOptions;
  readonly #contacts: ContactList;
  readonly #header: AppHeader;
  readonly #mirror: MirrorView;
  readonly #calls: RoomCalls;
  readonly #lobbyStage: HTMLElement;
  readonly #unsubscribe: (() => void)[] = [];
  #status: PeerStatus = 'available';

  constructor(options: JoinedRoomOptions) {
    this.#options = options;
    const { client, room, announcer } = options;
    this.#header = new AppHeader({
      room,
      nickname: options.self.metadata.nickname,
      subtitle: 'Pick someone to call',
      invite: createInviteLink(options.inviteLink, announcer),
      onStatus: (status) => void this.#setStatus(status),
      onLeave: options.onLeave,
    });
    this.#contacts = new ContactList({
      onCall: (peer) => this.#calls.call(peer),
      emptyText: 'Nobody else is here yet. Share the invite link to bring someone in.',
    });
    this.#mirror = new MirrorView(options.media);
    const booth = new PhotoBooth(() => [{ label: 'My camera', video: this.#mirrorVideo() }], announcer);
    const boothTitleId = nextId();
    this.#lobbyStage = h(
      'div',
      { class: 'lobby-stage' },
      this.#mirror.element,
      h(
        'section',
        { class: 'panel', 'aria-labelledby': boothTitleId },
        h('h2', { id: boothTitleId, class: 'panel-title' }, 'Photo booth'),
        booth.element,
      ),
    );
    const callStage = h('div', { class: 'call-stage-slot' });
    this.#calls = new RoomCalls({
      client,
      room,
      selfName: options.self.metadata.nickname,
      media: options.media,
      announcer,
      stage: callStage,
      onActiveChange: (isActive) => this.#onCallActive(isActive),
      // The SDK says busy/available; a person who chose "Away" goes back to away after a call.
      publishStatus: (status) => this.#publishStatus(status === 'available' ? this.#status : status),
    });
    this.element = h(
      'div',
      { class: 'room-screen' },
      this.#header.element,
      h(
        'div',
        { class: 'room-body' },
        this.#contacts.element,
        h('div', { class: 'stage' }, this.#lobbyStage, callStage),
      ),
    );
    const render = (changedRoom: string): void => {
      if (changedRoom === room) this.#renderContacts();
    };
    this.#unsubscribe.push(
      client.on('roster', (snapshot) => render(snapshot.room)),
      client.on('peer-joined', (changedRoom, peer) => {
        render(changedRoom);
        if (changedRoom === room) announcer.announce(`${peer.metadata.nickname} joined.`);
      }),
      client.on('peer-updated', (changedRoom) => render(changedRoom)),
      client.on('peer-left', (changedRoom, peerId) => {
        render(changedRoom);
        this.#calls.peerLeft(peerId);
      }),
    );
    this.#renderContacts();
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#calls.dispose();
    this.#mirror.dispose();
  }

  #renderContacts(): void {
    this.#contacts.render(this.#options.client.peers(this.#options.room));
  }

  #mirrorVideo(): HTMLVideoElement {
    const video = this.#mirror.element.querySelector('video');
    if (video === null) throw new Error('mirror has no video element');
    return video;
  }

  #onCallActive(isActive: boolean): void {
    this.#lobbyStage.hidden = isActive;
    this.#contacts.setCallsEnabled(!isActive);
  }

  async #setStatus(status: PeerStatus): Promise<void> {
    this.#status = status;
    await this.#publishStatus(status);
  }

  async #publishStatus(status: PeerStatus): Promise<void> {
    this.#header.setStatus(status, status === 'busy');
    try {
      await this.#options.client.updateMetadata({ status }, this.#options.room);
    } catch {
      // Requests wait through reconnects; a failure here means the session ended, which the banner shows.
    }
  }
}
