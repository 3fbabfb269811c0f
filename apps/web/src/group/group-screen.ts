/**
 * A group room: everyone who takes a seat joins one mesh call (one link per pair, perfect negotiation
 * settling who offers), shown as a video grid. Seats are marked in presence metadata (`extra.group`), so
 * a plain visitor of the same room is never dragged into the call. The limit of six is the server's: the
 * app joins a group room with `maxPeers`, and a join over it fails with ROOM_FULL (see app.ts).
 */
import { PeerManager, signalChannelFromClient, type PeerLink } from '@switchboard/client';
import type { PeerInfo } from '@switchboard/protocol';
import { CallControls } from '../call/call-controls.js';
import { createInviteLink } from '../lobby/invite-link.js';
import { sendLocalMedia } from '../link/link-media-sender.js';
import { AppHeader } from '../shell/app-header.js';
import { h } from '../shell/dom.js';
import type { JoinedRoomOptions, Screen } from '../shell/screen.js';
import { GroupTile } from './group-tile.js';

import './group.css';

/** Whether a peer has taken a seat in the room's group call. */
export function isGroupMember(peer: Pick<PeerInfo, 'metadata'>): boolean {
  return peer.metadata.extra?.['group'] === true;
}

/** The group call screen. */
export class GroupScreen implements Screen {
  readonly element: HTMLElement;
  readonly #options: JoinedRoomOptions;
  readonly #manager: PeerManager;
  readonly #grid: HTMLElement;
  readonly #count: HTMLElement;
  readonly #tiles = new Map<string, GroupTile>();
  readonly #controls: CallControls;
  readonly #selfTile: GroupTile;
  readonly #unsubscribe: (() => void)[] = [];
  #isMediaReady = false;

  constructor(options: JoinedRoomOptions) {
    this.#options = options;
    const { client, room, announcer, media } = options;
    this.#manager = new PeerManager({
      signals: signalChannelFromClient(client),
      // Only seated members may open a link to us.
      acceptLink: (peerId) => this.#member(peerId) !== undefined,
    });
    const header = new AppHeader({
      room,
      nickname: options.self.metadata.nickname,
      subtitle: 'Group call',
      invite: createInviteLink(options.inviteLink, announcer),
      onStatus: () => undefined,
      onLeave: options.onLeave,
    });
    header.setStatus('busy', true);
    this.#count = h('p', { class: 'group-count muted', role: 'status' });
    this.#selfTile = new GroupTile(`${options.self.metadata.nickname} (you)`, true);
    this.#grid = h('div', { class: 'group-grid', 'data-testid': 'group-grid' }, this.#selfTile.element);
    this.#controls = new CallControls(media, announcer, options.onLeave);
    this.element = h(
      'div',
      { class: 'room-screen group-screen' },
      header.element,
      h(
        'section',
        { class: 'group-body', 'aria-label': 'Group call' },
        this.#count,
        this.#grid,
        this.#controls.element,
      ),
    );
    this.#unsubscribe.push(
      this.#manager.on('link', (link) => this.#onLink(link)),
      client.on('peer-joined', (changed) => changed === room && this.#sync()),
      client.on('peer-updated', (changed) => changed === room && this.#sync()),
      client.on('peer-left', (changed, peerId) => {
        if (changed !== room) return;
        this.#removeTile(peerId);
        this.#sync();
      }),
      media.trackReplaced.add(() => this.#selfTile.showStream(media.stream)),
    );
    this.#sync();
    // Take the seat only now that the PeerManager listens: members offer as soon as they see it.
    client.updateMetadata({ status: 'busy', extra: { group: true } }, room).catch(() => {
      announcer.announce('Could not join the group call. Leave and try again.', 'error');
    });
    void media.start().then(() => {
      this.#isMediaReady = true;
      this.#selfTile.showStream(media.stream);
      this.#sync();
    });
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#controls.dispose();
    this.#manager.close();
    for (const tile of this.#tiles.values()) tile.dispose();
    this.#selfTile.dispose();
  }

  #member(peerId: string): PeerInfo | undefined {
    return this.#options.client
      .peers(this.#options.room)
      .find((peer) => peer.peerId === peerId && isGroupMember(peer));
  }

  /** Connect to every seated member (once media is ready, so the first offer carries it). */
  #sync(): void {
    const members = this.#options.client.peers(this.#options.room).filter(isGroupMember);
    this.#count.textContent =
      members.length === 0
        ? 'You are the first one here. Share the invite link.'
        : `${members.length + 1} people in the call`;
    for (const member of members) {
      this.#tiles.get(member.peerId)?.setName(member.metadata.nickname);
      // Both sides of a pair connect with their media; if their offers cross, perfect negotiation in the
      // SDK settles it (the broker names who is polite).
      if (this.#isMediaReady) this.#manager.connect(member.peerId);
    }
    // A member who gave up their seat (left the call but stayed in the room) is dropped too.
    for (const peerId of this.#tiles.keys()) {
      if (!members.some((member) => member.peerId === peerId)) this.#removeTile(peerId);
    }
  }

  #onLink(link: PeerLink): void {
    const member = this.#member(link.peerId);
    const tile = new GroupTile(member?.metadata.nickname ?? 'Someone', false);
    this.#tiles.get(link.peerId)?.dispose();
    this.#tiles.set(link.peerId, tile);
    this.#grid.appendChild(tile.element);
    this.#grid.dataset['count'] = String(this.#tiles.size + 1);
    for (const stream of link.remoteStreams) tile.showStream(stream);
    // Media goes on every link at once, whichever side created it (tracks that start later are added then).
    const stopSending = sendLocalMedia(link, this.#options.media);
    const offs = [
      stopSending,
      link.on('stream', (stream) => tile.showStream(stream)),
      link.on('state', (state) => tile.setState(state.connectionState)),
      link.on('close', () => {
        for (const off of offs) off();
        if (this.#tiles.get(link.peerId) === tile) this.#removeTile(link.peerId);
      }),
    ];
    tile.onDispose(() => {
      for (const off of offs) off();
    });
  }

  #removeTile(peerId: string): void {
    const tile = this.#tiles.get(peerId);
    if (tile === undefined) return;
    this.#tiles.delete(peerId);
    tile.dispose();
    tile.element.remove();
    this.#manager.link(peerId)?.close();
    this.#grid.dataset['count'] = String(this.#tiles.size + 1);
  }
}
