/** Results of the Chromium workloads (4–6), as the browser runner reports them. */

/** Workload 4: time from "call" to data channel open, over repeated runs. */
export interface CallSetupResult {
  workload: 'call-setup';
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  samplesMs: number[];
}

/** Workload 5: what one 1:1 setup costs the broker, counted at the socket by a frame-counting proxy. */
export interface SignalingCostResult {
  workload: 'signaling-cost';
  /** Frames clients sent to the broker during the setup (from "call" to both ends connected). */
  framesToBroker: number;
  bytesToBroker: number;
  /** Frames the broker sent to clients during the setup. */
  framesFromBroker: number;
  bytesFromBroker: number;
  /** Frames and bytes of session establishment before the call (hello/welcome/join/roster, OPEN, …). */
  sessionFrames: number;
  sessionBytes: number;
}

/** Workload 6: file transfer over a data channel between two Chromium pages. */
export interface FileTransferResult {
  workload: 'file-transfer';
  bytes: number;
  seconds: number;
  megabytesPerSecond: number;
  /** Longest gap between 1 ms timer callbacks on the sender page during the transfer, in ms (main-thread blocking). */
  maxMainThreadGapMs: number;
}

export type BrowserResult = CallSetupResult | SignalingCostResult | FileTransferResult;
