/**
 * One WebRTC peer for the TURN and NAT suites, in plain RTCPeerConnection code, signaling through the
 * product's broker with raw protocol frames (hello → welcome with iceServers → join → signal). The ICE
 * servers are exactly the ones the broker issued in the welcome, optionally narrowed (`ice`), so the
 * suites prove the product's STUN server and TURN credentials, not the test's.
 *
 * `runIcePeer` is self-contained (no imports, no outer references) so that Playwright can run it inside a
 * Chromium page with `page.evaluate(runIcePeer, options)`; Node passes wrtc's RTCPeerConnection and ws's
 * WebSocket in `env`. After the data channel opens, each side holds the path: it sends a ping every
 * 250 ms for `holdMs` and counts the echoes (a path that dies after a quick hello must fail; nat-lab.md §5.2).
 */

/** Options of `runIcePeer`. JSON-serialisable (it crosses into the browser). */
export interface IcePeerOptions {
  /** Broker WebSocket URL. */
  readonly brokerUrl: string;
  /** Room both peers join. */
  readonly room: string;
  /** Nickname in the room. */
  readonly nickname: string;
  /** The offerer starts as soon as the other peer is in the room. */
  readonly role: 'offer' | 'answer';
  /** Which of the welcome's ICE servers to use, and the policy: stun = drop TURN; relay = TURN only, relay policy. */
  readonly ice: 'all' | 'stun' | 'relay';
  /** Gather alone (no partner, no signaling) until `timeoutMs`: for credential checks. @default false */
  readonly gatherOnly?: boolean;
  /** Replace the TURN entries' credential (negative tests: a wrong credential must draw 401). */
  readonly corruptTurnCredential?: boolean;
  /** How long to keep pinging after the channel opens, in ms. */
  readonly holdMs: number;
  /** Give up if not connected within this long, in ms. */
  readonly timeoutMs: number;
  /** Protocol version for hello. */
  readonly protocolVersion: number;
}

/** What a peer reports. */
export interface IcePeerReport {
  readonly outcome: 'connected' | 'failed' | 'timeout' | 'error';
  readonly error?: string;
  readonly connectMs?: number;
  readonly pingsSent: number;
  readonly echoes: number;
  /** Types of local candidates gathered (host, srflx, relay, prflx). */
  readonly localCandidateTypes: string[];
  /** Local srflx/relay addresses, `ip:port`. */
  readonly localCandidates: string[];
  /** Types of candidates received from the other peer through the broker. */
  readonly remoteCandidateTypes: string[];
  readonly selected?: { readonly local: CandidateSummary; readonly remote: CandidateSummary };
  readonly candidateErrors: {
    readonly errorCode: number;
    readonly url: string;
    readonly errorText: string;
  }[];
  /** URLs of the ICE servers used (never credentials). */
  readonly iceUrls: string[];
  /** Whether the welcome carried an expiry for its credentials. */
  readonly iceServersExpireAt?: number;
}

/** A candidate from getStats. */
export interface CandidateSummary {
  readonly candidateType: string;
  readonly address: string;
  readonly port: number;
  readonly protocol: string;
}

/** Constructors for Node (wrtc, ws); browsers use their globals. */
export interface IcePeerEnv {
  readonly RTCPeerConnection: typeof RTCPeerConnection;
  readonly WebSocket: new (url: string) => WebSocket;
}

/** Run one peer to completion. Never throws: failures come back as the report's outcome. */
export async function runIcePeer(options: IcePeerOptions, env?: IcePeerEnv): Promise<IcePeerReport> {
  const PeerConnection = env?.RTCPeerConnection ?? globalThis.RTCPeerConnection;
  const Socket = env?.WebSocket ?? globalThis.WebSocket;
  const started = Date.now();
  const localTypes = new Set<string>();
  const localCandidates: string[] = [];
  const remoteTypes = new Set<string>();
  const candidateErrors: { errorCode: number; url: string; errorText: string }[] = [];
  let iceUrls: string[] = [];
  let expireAt: number | undefined;
  let pc: RTCPeerConnection | undefined;
  let channel: RTCDataChannel | undefined;
  let remotePeer: string | undefined;
  let remoteDescriptionSet = false;
  const pendingCandidates: RTCIceCandidateInit[] = [];
  let nextId = 1;
  let connectMs: number | undefined;
  let pingsSent = 0;
  let echoes = 0;
  let remoteDone = false;
  const typeOf = (candidate: string): string => / typ (\w+)/.exec(candidate)?.[1] ?? 'unknown';

  const ws = new Socket(options.brokerUrl);
  const send = (frame: object): void => ws.send(JSON.stringify(frame));
  const signal = (data: object): void => {
    if (remotePeer !== undefined) send({ type: 'signal', id: ++nextId, to: remotePeer, data });
  };

  const finished = new Promise<IcePeerReport['outcome']>((resolve) => {
    const timer = setTimeout(() => {
      if (connectMs === undefined) resolve('timeout');
    }, options.timeoutMs);
    const finish = (outcome: IcePeerReport['outcome']): void => {
      clearTimeout(timer);
      resolve(outcome);
    };

    const createConnection = (iceServers: RTCIceServer[]): RTCPeerConnection => {
      const connection = new PeerConnection({
        iceServers,
        iceTransportPolicy: options.ice === 'relay' ? 'relay' : 'all',
      });
      connection.onicecandidate = (event) => {
        if (event.candidate === null || event.candidate.candidate === '') return;
        const type = typeOf(event.candidate.candidate);
        localTypes.add(type);
        if (type !== 'host') {
          const parts = event.candidate.candidate.split(' ');
          localCandidates.push(`${type} ${parts[4] ?? '?'}:${parts[5] ?? '?'}`);
        }
        signal({ candidate: event.candidate.toJSON() });
      };
      connection.onicecandidateerror = (event) => {
        const e = event;
        candidateErrors.push({ errorCode: e.errorCode, url: e.url, errorText: e.errorText });
      };
      const onState = (): void => {
        if (connection.connectionState === 'failed' || connection.iceConnectionState === 'failed')
          finish('failed');
      };
      connection.onconnectionstatechange = onState;
      connection.oniceconnectionstatechange = onState;
      connection.ondatachannel = (event) => attach(event.channel);
      return connection;
    };

    const attach = (dc: RTCDataChannel): void => {
      channel = dc;
      dc.onopen = () => {
        connectMs = Date.now() - started;
        const interval = setInterval(() => {
          if (dc.readyState !== 'open') return;
          dc.send(`ping:${++pingsSent}`);
        }, 250);
        setTimeout(() => {
          clearInterval(interval);
          // Wait for the last echoes and for the other side to finish its own hold before closing.
          const deadline = Date.now() + 3000;
          const check = setInterval(() => {
            if ((echoes >= pingsSent && remoteDone) || Date.now() > deadline) {
              clearInterval(check);
              finish('connected');
            }
          }, 50);
          if (dc.readyState === 'open') dc.send('done');
        }, options.holdMs);
      };
      dc.onmessage = (event: MessageEvent) => {
        const text = String(event.data);
        if (text.startsWith('ping:')) dc.send(`pong:${text.slice(5)}`);
        else if (text.startsWith('pong:')) echoes++;
        else if (text === 'done') remoteDone = true;
      };
    };

    const start = async (peerId: string): Promise<void> => {
      if (pc === undefined) return;
      remotePeer = peerId;
      attach(pc.createDataChannel('nat'));
      await pc.setLocalDescription(await pc.createOffer());
      signal({ sdp: pc.localDescription?.toJSON() });
    };

    const onSignal = async (
      from: string,
      data: { sdp?: RTCSessionDescriptionInit; candidate?: RTCIceCandidateInit },
    ): Promise<void> => {
      if (pc === undefined) return;
      remotePeer ??= from;
      if (data.sdp !== undefined) {
        await pc.setRemoteDescription(data.sdp);
        remoteDescriptionSet = true;
        for (const candidate of pendingCandidates.splice(0)) await pc.addIceCandidate(candidate);
        if (data.sdp.type === 'offer') {
          await pc.setLocalDescription(await pc.createAnswer());
          signal({ sdp: pc.localDescription?.toJSON() });
        }
      } else if (data.candidate !== undefined) {
        remoteTypes.add(typeOf(data.candidate.candidate ?? ''));
        if (remoteDescriptionSet) await pc.addIceCandidate(data.candidate);
        else pendingCandidates.push(data.candidate);
      }
    };

    ws.onopen = () => send({ type: 'hello', v: options.protocolVersion });
    ws.onerror = () => finish('error');
    ws.onmessage = (event: MessageEvent) => {
      const frame = JSON.parse(String(event.data)) as Record<string, unknown> & {
        type: string;
        seq?: number;
      };
      if (typeof frame.seq === 'number') send({ type: 'ack', seq: frame.seq });
      const fail = (error: unknown): void => {
        candidateErrors.push({ errorCode: -1, url: '', errorText: String(error) });
        finish('error');
      };
      if (frame.type === 'welcome') {
        const servers = frame['iceServers'] as RTCIceServer[];
        expireAt = frame['iceServersExpireAt'] as number | undefined;
        const isTurn = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');
        const urlsOf = (server: RTCIceServer): string[] =>
          Array.isArray(server.urls) ? server.urls : [server.urls];
        const chosen = servers
          .map((server) => {
            const urls = urlsOf(server).filter((url) =>
              options.ice === 'stun' ? !isTurn(url) : options.ice === 'relay' ? isTurn(url) : true,
            );
            const corrupt = options.corruptTurnCredential === true && urls.some(isTurn);
            return { ...server, urls, ...(corrupt ? { credential: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' } : {}) };
          })
          .filter((server) => server.urls.length > 0);
        iceUrls = chosen.flatMap(urlsOf);
        const connection = createConnection(chosen);
        pc = connection;
        if (options.gatherOnly === true) {
          connection.createDataChannel('probe');
          connection
            .createOffer()
            .then((offer) => connection.setLocalDescription(offer))
            .catch(fail);
          return;
        }
        send({ type: 'join', id: 1, room: options.room, metadata: { nickname: options.nickname } });
      } else if (frame.type === 'roster' && options.role === 'offer') {
        const peers = frame['peers'] as { peerId: string }[];
        const first = peers[0];
        if (first !== undefined && remotePeer === undefined) start(first.peerId).catch(fail);
      } else if (frame.type === 'peer-joined' && options.role === 'offer' && remotePeer === undefined) {
        start((frame['peer'] as { peerId: string }).peerId).catch(fail);
      } else if (frame.type === 'signal') {
        onSignal(frame['from'] as string, frame['data'] as object).catch(fail);
      } else if (frame.type === 'error') {
        candidateErrors.push({
          errorCode: -1,
          url: '',
          errorText: `${String(frame['code'])}: ${String(frame['message'])}`,
        });
      }
    };
  });

  const outcome = await finished;
  let selected: IcePeerReport['selected'];
  if (pc !== undefined && outcome === 'connected') {
    const stats = await pc.getStats();
    const byId = new Map<string, Record<string, unknown>>();
    stats.forEach((report: Record<string, unknown>) => byId.set(report['id'] as string, report));
    let pair: Record<string, unknown> | undefined;
    for (const report of byId.values()) {
      if (report['type'] === 'transport' && typeof report['selectedCandidatePairId'] === 'string') {
        pair = byId.get(report['selectedCandidatePairId']);
      }
    }
    pair ??= [...byId.values()].find(
      (r) => r['type'] === 'candidate-pair' && r['nominated'] === true && r['state'] === 'succeeded',
    );
    const summary = (id: unknown): CandidateSummary => {
      const c = byId.get(String(id)) ?? {};
      const address = c['address'] ?? c['ip'];
      return {
        candidateType: String(c['candidateType']),
        address: typeof address === 'string' ? address : '',
        port: Number(c['port']),
        protocol: String(c['protocol']),
      };
    };
    if (pair !== undefined)
      selected = { local: summary(pair['localCandidateId']), remote: summary(pair['remoteCandidateId']) };
  }
  channel?.close();
  pc?.close();
  ws.close();
  return {
    outcome,
    ...(connectMs === undefined ? {} : { connectMs }),
    pingsSent,
    echoes,
    localCandidateTypes: [...localTypes].sort(),
    localCandidates,
    remoteCandidateTypes: [...remoteTypes].sort(),
    ...(selected === undefined ? {} : { selected }),
    candidateErrors,
    iceUrls,
    ...(expireAt === undefined ? {} : { iceServersExpireAt: expireAt }),
  };
}
