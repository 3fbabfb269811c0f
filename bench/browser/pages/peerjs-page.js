/* global window, Peer, navigator, performance */
/**
 * PeerJS 1.5.5 (the npm package's browser bundle) against PeerServer, used the way its README shows:
 * `peer.connect(id)` for data, `peer.call(id, stream)` for media, auto-answering on the other side. The
 * data connection uses `serialization: 'raw'` and `reliable: true`, the fastest PeerJS path for files.
 */
(() => {
  const { startGapProbe } = window.benchPage;
  let peer;
  let stream;
  let connection;
  function wireReceiver(conn) {
    let expected = Infinity;
    let received = 0;
    conn.on('data', (data) => {
      if (typeof data === 'string') {
        if (data !== 'done') expected = Number(data);
      } else {
        received += data.byteLength;
      }
      if (received >= expected) {
        conn.send('done');
        received = 0;
        expected = Infinity;
      }
    });
  }

  window.bench = {
    async open({ host, port, name }) {
      peer = new Peer(name, { host, port, path: '/', key: 'peerjs', config: { iceServers: [] }, debug: 0 });
      peer.on('connection', (conn) => {
        connection = conn;
        wireReceiver(conn);
      });
      peer.on('call', (call) => call.answer(stream));
      await new Promise((resolve, reject) => {
        peer.once('open', resolve);
        peer.once('error', reject);
      });
      return name;
    },
    async prepareMedia() {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    },
    /** Data: ms from connect() to the DataConnection open. Media: ms from call() to the remote stream. */
    async call({ to, media }) {
      const started = performance.now();
      if (media) {
        const call = peer.call(to, stream);
        await new Promise((resolve) => call.once('stream', resolve));
        connection = call;
      } else {
        connection = peer.connect(to, { serialization: 'raw', reliable: true });
        await new Promise((resolve) => connection.once('open', resolve));
      }
      return performance.now() - started;
    },
    isSettled() {
      const pc = connection?.peerConnection;
      return pc?.connectionState === 'connected' && pc.iceGatheringState === 'complete';
    },
    async sendFile({ bytes, chunkBytes }) {
      const stopProbe = startGapProbe();
      const chunk = new Uint8Array(chunkBytes).buffer;
      const done = new Promise((resolve) => connection.on('data', (data) => data === 'done' && resolve()));
      const started = performance.now();
      connection.send(String(bytes));
      // The PeerJS way: send everything; DataConnection queues when bufferedAmount passes 8 MiB.
      for (let sent = 0; sent < bytes; sent += chunkBytes) {
        connection.send(sent + chunkBytes <= bytes ? chunk : chunk.slice(0, bytes - sent));
      }
      await done;
      const ms = performance.now() - started;
      return { ms, longestGapMs: stopProbe() };
    },
    hangUp() {
      connection?.close();
      connection = undefined;
    },
  };
})();
