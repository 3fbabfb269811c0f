/**
 * A microphone level meter: Web Audio analyser -> RMS -> a native <meter>, so assistive tech reads it as
 * a gauge. It follows the current audio track of a stream and stops when disposed.
 */
import { h } from '../shell/dom.js';

/** Shows the loudness of an audio track. */
export class LevelMeter {
  readonly element: HTMLMeterElement;
  #context: AudioContext | null = null;
  #source: MediaStreamAudioSourceNode | null = null;
  #analyser: AnalyserNode | null = null;
  #frame = 0;
  #samples: Float32Array<ArrayBuffer> = new Float32Array(1024);

  constructor(id: string) {
    this.element = h('meter', {
      id,
      class: 'level-meter',
      min: 0,
      max: 1,
      low: 0.6,
      high: 0.85,
      optimum: 0.3,
      value: 0,
    });
  }

  /** The current level in 0..1 (for tests and the UI). */
  get level(): number {
    return this.element.value;
  }

  /** Measure `track`, or nothing when it is null. */
  follow(track: MediaStreamTrack | null): void {
    this.#source?.disconnect();
    this.#source = null;
    if (track === null) {
      this.element.value = 0;
      return;
    }
    this.#context ??= new AudioContext();
    this.#analyser ??= this.#context.createAnalyser();
    this.#analyser.fftSize = this.#samples.length;
    this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
    this.#source.connect(this.#analyser);
    // Browsers start an AudioContext suspended until a user gesture; the join click counts.
    void this.#context.resume();
    if (this.#frame === 0) this.#tick();
  }

  /** Stop measuring and release the audio context. */
  dispose(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#source?.disconnect();
    void this.#context?.close();
    this.#context = null;
  }

  #tick = (): void => {
    const analyser = this.#analyser;
    if (analyser !== null && this.#source !== null) {
      analyser.getFloatTimeDomainData(this.#samples);
      let sum = 0;
      for (const sample of this.#samples) sum += sample * sample;
      const rms = Math.sqrt(sum / this.#samples.length);
      // Speech peaks around 0.1-0.3 RMS; scale so normal speaking fills most of the bar.
      this.element.value = Math.min(1, rms * 4);
    }
    this.#frame = requestAnimationFrame(this.#tick);
  };
}
