/* global window, setTimeout, WebSocket, RTCPeerConnection, navigator, performance */
/**
 * The bare-browser floor: one plain RTCPeerConnection negotiated over a signaling socket, with no SDK. It
 * speaks either the minimal ws relay protocol or Switchboard's raw wire protocol (hello in the upgrade URL as
 * the SDK says it, join, signal, ack),
 * so the same negotiation can be counted through either broker. Driven by bench/browser through
 * `window.bench`; every call gets a number so late frames of an earlier call are ignored.
 */
(() => {
  const { startGapProbe, gatheringComplete } = window.benchPage;
  const ACK_DELAY_MS = 20;
  let transport;
  let pc;
  let channel;
  let stream;
  let callNumber = 0;
  let pendingCandidates = [];
  function openSocket(url) {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(socket);
      socket.onerror = () => reject(new Error(`cannot open ${url}`));
    });
  }

  /** Minimal relay: the client picks its id and writes `from` itself (the floor relay stamps nothing). */
  async function connectRelay(url, name) {
    const socket = await openSocket(`${url}/?id=${name}`);
    const t = { address: name, onSignal: () => undefined };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      t.onSignal(frame.from, frame.data);
    };
    t.send = (to, data) => socket.send(JSON.stringify({ to, from: name, data }));
    return t;
  }

  /** Switchboard wire protocol, as PROTOCOL.md describes it; received seqs are acked within ACK_DELAY_MS. */
  async function connectSwitchboard(url, name, room) {
    // `?v=1` is the hello (PROTOCOL.md): the welcome comes with the upgrade, as it does for the SDK.
    const socket = await openSocket(`${url}/?v=1`);
    let nextId = 1;
    let lastSeq = 0;
    let ackTimer;
    const t = { onSignal: () => undefined };
    const established = new Promise((resolve, reject) => {
      socket.onmessage = (event) => {
        const frame = JSON.parse(event.data);
        if (typeof frame.seq === 'number') {
          lastSeq = frame.seq;
          ackTimer ??= setTimeout(() => {
            ackTimer = undefined;
            socket.send(JSON.stringify({ type: 'ack', seq: lastSeq }));
          }, ACK_DELAY_MS);
        }
        if (frame.type === 'welcome') {
          t.address = frame.peerId;
          socket.send(JSON.stringify({ type: 'join', id: nextId++, room, metadata: { nickname: name } }));
        } else if (frame.type === 'roster') resolve();
        else if (frame.type === 'signal') t.onSignal(frame.from, frame.data);
        else if (frame.type === 'error') reject(new Error(`${frame.code}: ${frame.message}`));
      };
    });
    await established;
    t.send = (to, data) => socket.send(JSON.stringify({ type: 'signal', id: nextId++, to, data }));
    return t;
  }

  function newConnection(to, trickle, number) {
    const connection = new RTCPeerConnection({ iceServers: [] });
    if (stream) for (const track of stream.getTracks()) connection.addTrack(track, stream);
    connection.onicecandidate = (event) => {
      if (trickle && event.candidate)
        transport.send(to, { call: number, candidate: event.candidate.toJSON() });
    };
    return connection;
  }

  async function onSignal(from, data) {
    if (data.offer) {
      callNumber = data.call;
      pendingCandidates = [];
      pc?.close();
      pc = newConnection(from, data.trickle, data.call);
      pc.ondatachannel = (event) => {
        channel = event.channel;
        wireReceiver(channel);
      };
      await pc.setRemoteDescription(data.offer);
      for (const candidate of pendingCandidates) await pc.addIceCandidate(candidate);
      await pc.setLocalDescription();
      if (!data.trickle) await gatheringComplete(pc);
      transport.send(from, { call: data.call, answer: pc.localDescription.toJSON() });
    } else if (data.call !== callNumber) {
      return; // a late frame of an earlier call
    } else if (data.answer) {
      await pc.setRemoteDescription(data.answer);
      for (const candidate of pendingCandidates) await pc.addIceCandidate(candidate);
    } else if (data.candidate) {
      if (pc?.remoteDescription) await pc.addIceCandidate(data.candidate);
      else pendingCandidates.push(data.candidate);
    }
  }

  /** Receiver side of the file transfer: count bytes, answer "done" when the announced total arrived. */
  function wireReceiver(dc) {
    dc.binaryType = 'arraybuffer';
    let expected = Infinity;
    let received = 0;
    dc.onmessage = (event) => {
      if (typeof event.data === 'string') {
        expected = Number(event.data);
      } else {
        received += event.data.byteLength;
      }
      if (received >= expected) {
        dc.send('done');
        received = 0;
        expected = Infinity;
      }
    };
  }

  window.bench = {
    /** Connect to the broker; resolves with this page's address. */
    async open({ protocol, url, name, room }) {
      transport =
        protocol === 'switchboard'
          ? await connectSwitchboard(url, name, room)
          : await connectRelay(url, name);
      transport.onSignal = (from, data) => void onSignal(from, data);
      return transport.address;
    },
    /** Acquire the fake camera and microphone before timing starts (both sides, for audio+video runs). */
    async prepareMedia() {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    },
    /** Call `to`; resolves with ms from "call" to the data channel open, once gathering also finished. */
    async call({ to, trickle }) {
      const number = ++callNumber;
      pendingCandidates = [];
      pc?.close();
      const started = performance.now();
      pc = newConnection(to, trickle, number);
      channel = pc.createDataChannel('bench');
      channel.binaryType = 'arraybuffer';
      const opened = new Promise((resolve) => (channel.onopen = resolve));
      await pc.setLocalDescription();
      if (!trickle) await gatheringComplete(pc);
      transport.send(to, { call: number, trickle, offer: pc.localDescription.toJSON() });
      await opened;
      const ms = performance.now() - started;
      await gatheringComplete(pc);
      return ms;
    },
    /** Whether this side's connection is up and done gathering (the callee reports it for signaling cost). */
    isSettled() {
      return pc?.connectionState === 'connected' && pc.iceGatheringState === 'complete';
    },
    /** Send `bytes` in `chunkBytes` messages with the bufferedAmountLowThreshold loop; resolves with ms until "done". */
    async sendFile({ bytes, chunkBytes, highWaterBytes, lowWaterBytes }) {
      const stopProbe = startGapProbe();
      const chunk = new Uint8Array(chunkBytes);
      const done = new Promise(
        (resolve) => (channel.onmessage = (event) => event.data === 'done' && resolve()),
      );
      channel.bufferedAmountLowThreshold = lowWaterBytes;
      const started = performance.now();
      channel.send(String(bytes));
      let sent = 0;
      while (sent < bytes) {
        if (channel.bufferedAmount > highWaterBytes) {
          await new Promise((resolve) =>
            channel.addEventListener('bufferedamountlow', resolve, { once: true }),
          );
        }
        const size = Math.min(chunkBytes, bytes - sent);
        channel.send(size === chunkBytes ? chunk : chunk.subarray(0, size));
        sent += size;
      }
      await done;
      const ms = performance.now() - started;
      return { ms, longestGapMs: stopProbe() };
    },
    hangUp() {
      pc?.close();
      pc = undefined;
    },
  };
})();
