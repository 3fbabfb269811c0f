/**
 * Whether a connection has gathered anything yet, with a bounded wait for it.
 *
 * Why it exists: Chromium gives each RTCPeerConnection a FilteringNetworkManager that publishes the list of
 * networks to ICE only once it knows the page's media permission, and only to a gathering session that is
 * running at that moment. If the permission answer lands while no session runs, which is exactly the window
 * a polite rollback opens on a fresh connection (the offer's gathering is stopped, the answer's has not
 * started), the notification is lost. Every later gathering on that connection, the answer's and any ICE
 * restart's, then waits for a network change that never comes: the link sits in `stable` with ICE `new`
 * (media-glare.e2e.test.ts). Once a connection has produced one candidate, its network list has been
 * published and later sessions start at once, so the polite side waits for that first candidate, bounded,
 * before it rolls back. Other engines are unaffected and merely wait for a candidate they are about to have.
 */
export class FirstCandidateWatch {
  #hasGathered = false;
  readonly #waiters = new Set<() => void>();

  constructor(pc: RTCPeerConnection) {
    // The end-of-candidates marker counts too: gathering finished, so the network list was published.
    pc.addEventListener('icecandidate', () => this.#settle());
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') this.#settle();
    });
  }

  /** Whether the connection has produced a candidate (or finished a gathering) at least once. */
  get hasGathered(): boolean {
    return this.#hasGathered;
  }

  /** Resolves once the first candidate exists, or after `timeoutMs` (never rejects). */
  wait(timeoutMs: number): Promise<void> {
    if (this.#hasGathered) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
    });
  }

  #settle(): void {
    if (this.#hasGathered) return;
    this.#hasGathered = true;
    for (const done of [...this.#waiters]) done();
  }
}
