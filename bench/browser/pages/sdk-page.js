/* global window, setTimeout, clearTimeout, navigator, performance, Blob */
/**
 * The Switchboard SDK, used the way its README shows: a SignalingClient joins a room, a PeerManager makes
 * one PeerLink per remote peer, a named channel opens the connection, and `link.sendFile()` sends a Blob
 * (SHA-256 verified by the receiver). `window.Switchboard` is the SDK's own browser bundle
 * (packages/testing/src/page-harness.ts, `bundleSdk`), built from source when the bench starts.
 *
 * Non-trickle runs give BOTH sides `iceMode: 'complete'`, so `open()` is told the mode: the callee's link
 * is created by the caller's offer and takes the manager's defaults.
 *
 * The callee answers by itself (like the PeerJS page's auto-answer): it adds its camera to every new link
 * and accepts every file. Media goes through `link.addStream`, not CallController, because a call's
 * invite/ringing/accept would add three broker signals that no other contender sends.
 */
(() => {
  const { SignalingClient, PeerManager, signalChannelFromClient, fileSourceFromBlob } = window.Switchboard;
  const { startGapProbe, gatheringComplete } = window.benchPage;
  let peers;
  let link;
  let stream;
  let isCaller = false;

  /** A sink that counts and drops, like the other pages' receivers (they never keep the bytes either). */
  const discardingSink = () => ({ write: () => undefined, close: () => undefined, abort: () => undefined });

  /** Resolves once `closing` has closed, or after `ms` (then the caller closes it itself). */
  function whenClosed(closing, ms) {
    if (closing.isClosed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      closing.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  window.bench = {
    /** Connect to the broker and join the room; resolves with this page's peer id. */
    async open({ url, name, room, trickle }) {
      const client = new SignalingClient({ url });
      await client.connect();
      await client.join(room, { nickname: name });
      peers = new PeerManager({
        signals: signalChannelFromClient(client),
        iceMode: trickle === false ? 'complete' : 'trickle',
      });
      // Every new link: the caller's from connect(), the callee's from the caller's offer. On the callee,
      // adding the camera here, before the offer is applied, puts it in the answer (no second negotiation),
      // as the bare page does.
      peers.on('link', (created) => {
        link = created;
        if (stream) created.addStream(stream);
        created.on('file', (transfer) => void transfer.accept(discardingSink()));
      });
      return client.peerId;
    },
    /** Acquire the fake camera and microphone before timing starts (both sides, for audio+video runs). */
    async prepareMedia() {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    },
    /** Call `to`; resolves with ms from "call" to the data channel open, once gathering also finished. */
    async call({ to }) {
      isCaller = true;
      const started = performance.now();
      const created = peers.connect(to);
      await created.channel('bench').whenOpen();
      const ms = performance.now() - started;
      await gatheringComplete(created.pc);
      return ms;
    },
    /** Whether this side's connection is up and done gathering (the callee reports it for signaling cost). */
    isSettled() {
      return link?.pc.connectionState === 'connected' && link.pc.iceGatheringState === 'complete';
    },
    /** Send `bytes` as one file (a Blob, as from a file input); resolves with ms until the receiver confirmed its hash. */
    async sendFile({ bytes }) {
      const blob = new Blob([new Uint8Array(bytes)]);
      // A file from an <input> is already in the browser process. A Blob built here still moves its bytes
      // there after the constructor returns (34-217 ms of the browser's IO thread for 64 MiB), which the
      // other pages, sending one array, never pay: let it settle before the clock starts.
      await blob.slice(0, 1).arrayBuffer();
      const stopProbe = startGapProbe();
      const started = performance.now();
      await link.sendFile(fileSourceFromBlob(blob, 'bench.bin')).result;
      const ms = performance.now() - started;
      return { ms, longestGapMs: stopProbe() };
    },
    /**
     * The caller closes its link, and its `bye` closes the callee's. The callee waits for that instead of
     * sending its own `bye`: a second `bye` still in flight when the next call starts would close the new link.
     */
    async hangUp() {
      const current = link;
      link = undefined;
      if (current === undefined) return;
      if (!(await whenClosed(current, isCaller ? 0 : 5000))) current.close();
    },
  };
})();
