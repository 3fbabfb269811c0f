/**
 * The ring: a two-tone telephone ring (440 + 480 Hz, 2 s on, 4 s off, the North American ringback
 * cadence) synthesised with Web Audio, so the app ships no audio file.
 */

/** Plays a ring until stopped. */
export class RingTone {
  #context: AudioContext | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Whether the ring is playing. */
  get isPlaying(): boolean {
    return this.#timer !== undefined;
  }

  /** Start ringing (no-op if already ringing). */
  start(): void {
    if (this.#timer !== undefined) return;
    try {
      this.#context = new AudioContext();
    } catch {
      // No Web Audio (or blocked): the visual "is calling" dialog still shows.
      return;
    }
    void this.#context.resume();
    this.#ringOnce();
    this.#timer = setInterval(() => this.#ringOnce(), 6000);
  }

  /** Stop ringing and release the audio context. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    void this.#context?.close();
    this.#context = null;
  }

  #ringOnce(): void {
    const context = this.#context;
    if (context === null) return;
    const gain = context.createGain();
    const start = context.currentTime;
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(0.12, start + 0.05);
    gain.gain.setValueAtTime(0.12, start + 1.95);
    gain.gain.linearRampToValueAtTime(0, start + 2);
    gain.connect(context.destination);
    for (const frequency of [440, 480]) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(start);
      oscillator.stop(start + 2);
    }
  }
}
