/**
 * The call timer. It counts from when media connected, not from when the call was placed, because that is
 * what a person perceives as the start of the conversation.
 */
import { h } from '../shell/dom.js';

/** "0:07", "12:34", "1:02:03". */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h_ = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h_ > 0 ? `${h_}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A ticking `<time>` element. */
export class CallTimer {
  readonly element: HTMLTimeElement;
  #startedAt: number | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    // Not a live region: a timer read out every second would drown everything else.
    this.element = h(
      'time',
      { class: 'call-timer', 'data-testid': 'call-timer', 'aria-label': 'Call duration' },
      '0:00',
    );
  }

  /** Seconds since start. */
  get elapsedSeconds(): number {
    return this.#startedAt === undefined ? 0 : (Date.now() - this.#startedAt) / 1000;
  }

  /** Start counting (once). */
  start(): void {
    if (this.#startedAt !== undefined) return;
    this.#startedAt = Date.now();
    this.#timer = setInterval(() => this.#render(), 1000);
    this.#render();
  }

  /** Stop counting. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #render(): void {
    const seconds = Math.floor(this.elapsedSeconds);
    this.element.textContent = formatDuration(seconds);
    this.element.dateTime = `PT${seconds}S`;
  }
}
