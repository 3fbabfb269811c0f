/**
 * Speed and time left for a transfer, from progress samples over a sliding window. A window (rather than
 * bytes / elapsed) lets the estimate follow a link that speeds up or stalls.
 */

/** Estimates throughput from (time, bytes) samples. */
export class TransferRate {
  readonly #windowMs: number;
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(windowMs = 2000) {
    this.#windowMs = windowMs;
  }

  /** Record that `bytes` in total had moved at time `at` (ms). */
  record(at: number, bytes: number): void {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - (this.#samples[1]?.at ?? at) >= this.#windowMs)
      this.#samples.shift();
  }

  /** Bytes per second over the window, or 0 before there are two samples. */
  get bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds left for `total` bytes, or undefined when the speed is unknown. */
  secondsLeft(total: number): number | undefined {
    const last = this.#samples[this.#samples.length - 1];
    const speed = this.bytesPerSecond;
    if (last === undefined || speed <= 0) return undefined;
    return Math.max(0, (total - last.bytes) / speed);
  }
}

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** "20.0 MB", "512 B". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${UNITS[unit] ?? 'B'}`;
}

/** "3 s left", "2 min 5 s left", or '' when unknown. */
export function formatTimeLeft(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const rounded = Math.ceil(seconds);
  if (rounded < 60) return `${rounded} s left`;
  return `${Math.floor(rounded / 60)} min ${rounded % 60} s left`;
}
