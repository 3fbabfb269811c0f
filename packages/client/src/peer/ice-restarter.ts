/**
 * Watches one RTCPeerConnection and restarts ICE when its path breaks.
 *
 * - `failed`: restart (after the policy's delay).
 * - `disconnected`: often heals by itself (a Wi-Fi hiccup), so wait `disconnectedTimeoutMs` first, then
 *   restart (the simple-peer #579 discussion; Trystero closes after 5 s instead, which loses the call).
 * - A restart that has not reconnected within `restartTimeoutMs` counts as failed and the next one begins.
 * - Watchdog: a link whose offer/answer exchange is done (both descriptions set) but whose ICE is still
 *   `new` or `checking` after `connectTimeoutMs` is restarted too (reason `stuck`). A lost candidate batch
 *   or a browser that never starts gathering would otherwise leave it there forever: `failed` never comes
 *   from `new`. A link with nothing negotiated yet is idle, not stuck, so it is never restarted.
 * - `connected`/`completed` resets the attempt counter.
 * - When the policy returns `null`, `onGiveUp` runs (the link then fails with `ICE_FAILED`).
 *
 * `pc.restartIce()` only marks the next offer as a restart and fires `negotiationneeded`, so the restart
 * goes through perfect negotiation like any other change and is glare-safe.
 */
import type { IceRestartPolicy, IceRestartReason } from './ice-restart-policy.js';

/** Callbacks and settings of an `IceRestarter`. */
export interface IceRestarterHost {
  readonly pc: RTCPeerConnection;
  readonly policy: IceRestartPolicy;
  readonly disconnectedTimeoutMs: number;
  readonly restartTimeoutMs: number;
  /** Watchdog: restart a negotiated link still in ICE `new`/`checking` after this long; 0 turns it off. */
  readonly connectTimeoutMs: number;
  onRestart(info: {
    readonly attempt: number;
    readonly reason: IceRestartReason;
    readonly delayMs: number;
  }): void;
  onRecovered(info: { readonly attempts: number }): void;
  onGiveUp(info: { readonly attempts: number; readonly reason: IceRestartReason }): void;
}

/** Drives ICE restarts for one connection. */
export class IceRestarter {
  readonly #host: IceRestarterHost;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #isDisposed = false;

  constructor(host: IceRestarterHost) {
    this.#host = host;
  }

  /** Feed every `iceconnectionstatechange` here. */
  onIceConnectionState(state: RTCIceConnectionState): void {
    if (this.#isDisposed) return;
    switch (state) {
      case 'connected':
      case 'completed':
        this.#clearTimer();
        if (this.#attempt > 0) this.#host.onRecovered({ attempts: this.#attempt });
        this.#attempt = 0;
        break;
      case 'failed':
        this.#schedule('failed');
        break;
      case 'disconnected':
        this.#clearTimer();
        this.#timer = setTimeout(() => this.#schedule('disconnected'), this.#host.disconnectedTimeoutMs);
        break;
      case 'new':
      case 'checking':
        this.#armWatchdog();
        break;
      default:
        this.#clearTimer();
        break;
    }
  }

  /** Restarts now, on request (counts as an attempt; the policy still decides the give-up). */
  restartNow(): void {
    if (this.#isDisposed) return;
    this.#clearTimer();
    this.#attempt += 1;
    this.#host.onRestart({ attempt: this.#attempt, reason: 'failed', delayMs: 0 });
    this.#restart();
  }

  /** Stops all timers; no further restarts. */
  dispose(): void {
    this.#isDisposed = true;
    this.#clearTimer();
  }

  /**
   * Arms the `stuck` watchdog once the descriptions are exchanged. A pending timer (a scheduled restart,
   * a restart's own timeout, or the watchdog itself) already covers the link, so it is left alone.
   */
  #armWatchdog(): void {
    const { pc, connectTimeoutMs } = this.#host;
    if (connectTimeoutMs <= 0 || this.#timer !== undefined) return;
    if (pc.localDescription === null || pc.remoteDescription === null) return;
    this.#timer = setTimeout(() => this.#schedule('stuck'), connectTimeoutMs);
  }

  #schedule(reason: IceRestartReason): void {
    this.#clearTimer();
    const attempt = this.#attempt + 1;
    const delayMs = this.#host.policy.nextRestartDelayInMs({ attempt, reason });
    if (delayMs === null) {
      this.#isDisposed = true;
      this.#host.onGiveUp({ attempts: this.#attempt, reason });
      return;
    }
    this.#attempt = attempt;
    this.#host.onRestart({ attempt, reason, delayMs });
    this.#timer = setTimeout(() => this.#restart(), delayMs);
  }

  #restart(): void {
    if (this.#isDisposed) return;
    this.#host.pc.restartIce();
    this.#timer = setTimeout(() => this.#schedule('timeout'), this.#host.restartTimeoutMs);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
