/**
 * The composition root: reads the route, owns the one SignalingClient and the local media, and swaps
 * screens (join form, room, group room, serverless). Screens get their collaborators from here and never
 * reach for globals, so each can be reasoned about on its own.
 */
import { SignalingClient } from '@switchboard/client';
import { SwitchboardError } from '@switchboard/protocol';
import { LocalMedia } from './media/local-media.js';
import { JoinForm, type JoinRequest } from './lobby/join-form.js';
import { RoomScreen } from './lobby/room-screen.js';
import { Announcer } from './shell/announcer.js';
import { ConnectionBanner } from './shell/connection-banner.js';
import { h, replaceChildren } from './shell/dom.js';
import { NicknameStore } from './shell/nickname-store.js';
import { inviteLink, parseRoute, serverlessLink, type Route } from './shell/route.js';
import type { Screen } from './shell/screen.js';

/** What the app needs from the page. */
export interface AppEnvironment {
  readonly root: HTMLElement;
  readonly location: Location;
  readonly history: History;
  readonly storage: Storage | undefined;
}

/** Largest group call: a full mesh costs every browser one upload per other person. */
export const GROUP_CALL_LIMIT = 6;

/** The signaling endpoint: same origin as the page, path `/ws`. */
export function signalingUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

/** The web app. */
export class App {
  readonly #env: AppEnvironment;
  readonly #announcer = new Announcer();
  readonly #banner = new ConnectionBanner();
  readonly #nicknames: NicknameStore;
  readonly #main: HTMLElement;
  #media: LocalMedia | undefined;
  #client: SignalingClient | undefined;
  #screen: Screen | undefined;

  constructor(env: AppEnvironment) {
    this.#env = env;
    this.#nicknames = new NicknameStore(env.storage);
    this.#main = h('main', { id: 'main', class: 'app-main', tabindex: -1 });
    replaceChildren(env.root, this.#banner.element, this.#main, this.#announcer.element);
  }

  /** Show the screen the URL asks for. */
  start(): void {
    const route = parseRoute(this.#env.location);
    if (route.kind === 'serverless') {
      void this.#showServerless();
      return;
    }
    this.#showJoin(route);
  }

  #showJoin(route: Extract<Route, { kind: 'room' }>): void {
    const remembered = this.#nicknames.load();
    const form = new JoinForm({
      nickname: remembered,
      room: route.room,
      group: route.group,
      serverlessHref: serverlessLink(this.#env.location.origin),
      onJoin: (request) => this.#join(request),
    });
    this.#mount({ element: form.element, dispose: () => undefined });
    document.title = 'Switchboard';
    if (route.fromLink && remembered !== '') {
      // An invite link with a remembered nickname goes straight in; a refusal lands back on the form.
      form.element.querySelector('form')?.requestSubmit();
    } else {
      form.focus();
    }
  }

  async #join(request: JoinRequest): Promise<void> {
    const client = await this.#connect();
    // Load the group screen before joining, so nothing async stands between taking a seat and listening.
    const groupModule = request.group ? await import('./group/group-screen.js') : undefined;
    // A group call is capped by the server, atomically (ROOM_FULL for the seventh joiner, however close
    // together they click), so two people can never both take the last seat. The cap counts everyone in
    // the room, a plain visitor of the same room included, so the mesh never exceeds it.
    const snapshot = await client.join(
      request.room,
      { nickname: request.nickname, status: 'available' },
      request.group ? { maxPeers: GROUP_CALL_LIMIT } : {},
    );
    this.#nicknames.save(snapshot.self.metadata.nickname);
    const link = inviteLink(this.#env.location.origin, request.room, request.group);
    this.#env.history.replaceState(null, '', new URL(link).pathname + new URL(link).search);
    document.title = `${request.room} · Switchboard`;
    const media = (this.#media ??= new LocalMedia());
    const screenOptions = {
      client,
      room: request.room,
      self: snapshot.self,
      media,
      announcer: this.#announcer,
      inviteLink: link,
      onLeave: () => void this.#leave(request),
    };
    if (groupModule !== undefined) {
      this.#mount(new groupModule.GroupScreen(screenOptions));
    } else {
      this.#mount(new RoomScreen(screenOptions));
    }
    this.#main.focus();
    void media.start();
  }

  async #leave(request: JoinRequest): Promise<void> {
    try {
      await this.#client?.leave(request.room);
    } catch {
      // Leaving a room we are no longer in (kicked, session lost) is fine.
    }
    this.#env.history.replaceState(null, '', '/');
    this.#showJoin({ kind: 'room', room: request.room, group: request.group, fromLink: false });
  }

  async #connect(): Promise<SignalingClient> {
    if (this.#client === undefined) {
      const client = new SignalingClient({ url: signalingUrl(this.#env.location) });
      client.on('state', (state) => this.#banner.show(state));
      client.on('session-lost', () =>
        this.#announcer.announce(
          'The server lost track of this session; you have rejoined the room.',
          'error',
        ),
      );
      // Say goodbye when the page goes away, so a reload can take the same nickname at once instead of
      // waiting for the old session's grace window to run out.
      window.addEventListener('pagehide', () => void client.close());
      this.#client = client;
    }
    const client = this.#client;
    if (client.state.state === 'closed')
      throw new SwitchboardError('CONNECTION_CLOSED', 'the connection was closed');
    await client.connect();
    return client;
  }

  async #showServerless(): Promise<void> {
    document.title = 'Serverless · Switchboard';
    const { ServerlessScreen } = await import('./serverless/serverless-screen.js');
    this.#mount(new ServerlessScreen({ announcer: this.#announcer, homeHref: '/' }));
  }

  #mount(screen: Screen): void {
    this.#screen?.dispose();
    this.#screen = screen;
    replaceChildren(this.#main, screen.element);
  }
}
