/* global window, setTimeout, performance */
/**
 * What every bench page shares, loaded before the page's own script: `window.benchPage`.
 */
(() => {
  /**
   * Main-thread blocking probe: a 1 ms timer loop records the longest gap between its callbacks. The Long
   * Tasks API only reports tasks of 50 ms or more, far above the 16 ms (one frame) target, so it cannot
   * show a miss. Gaps include Chromium's timer clamping (up to ~4 ms). Returns a function that stops the
   * probe and returns the longest gap in ms.
   */
  function startGapProbe() {
    let last = performance.now();
    let longest = 0;
    let running = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (running) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    return () => {
      running = false;
      return longest;
    };
  }

  /** Resolves once `pc` has finished gathering ICE candidates. */
  function gatheringComplete(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) =>
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') resolve();
      }),
    );
  }

  window.benchPage = { startGapProbe, gatheringComplete };
})();
