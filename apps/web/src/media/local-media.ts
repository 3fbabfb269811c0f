/**
 * The person's own camera and microphone, shared by the mirror and every call.
 *
 * Invariants:
 * - `stream` holds at most one audio and one video track: the ones being sent. Switching device or
 *   sharing the screen swaps a track in place and emits `track-replaced`, so calls can `replaceTrack`
 *   without renegotiating.
 * - Muting toggles `track.enabled` (the remote side sees black video or hears silence), so a mute never
 *   renegotiates and is undone instantly.
 * - A failure never throws out of this class: it becomes `problem`, and the app stays usable.
 */
import { Listeners } from '../shell/listeners.js';
import {
  describeMediaError,
  describePartialMedia,
  unsupportedMedia,
  type MediaProblem,
} from './media-problem.js';

/** A device the person can pick. */
export interface DeviceChoice {
  readonly deviceId: string;
  readonly label: string;
}

const VIDEO_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 } };

/** Owns getUserMedia/getDisplayMedia, device choice and mute state. */
export class LocalMedia {
  /** The outgoing stream (possibly empty). */
  readonly stream = new MediaStream();
  /** Something visible changed (devices, problem, mute, screen share). */
  readonly changed = new Listeners();
  /** The outgoing track of a kind was swapped; `track` is null when that kind went away. */
  readonly trackReplaced = new Listeners<[kind: 'audio' | 'video', track: MediaStreamTrack | null]>();

  #problem: MediaProblem | null = null;
  #cameras: DeviceChoice[] = [];
  #microphones: DeviceChoice[] = [];
  #cameraId = '';
  #microphoneId = '';
  #audioEnabled = true;
  #videoEnabled = true;
  #cameraTrack: MediaStreamTrack | null = null;
  #screenTrack: MediaStreamTrack | null = null;
  #started: Promise<void> | null = null;
  readonly #mediaDevices: MediaDevices | undefined;

  constructor(mediaDevices: MediaDevices | undefined = browserMediaDevices()) {
    this.#mediaDevices = mediaDevices;
    this.#mediaDevices?.addEventListener('devicechange', () => void this.#refreshDevices());
  }

  get problem(): MediaProblem | null {
    return this.#problem;
  }
  get cameras(): readonly DeviceChoice[] {
    return this.#cameras;
  }
  get microphones(): readonly DeviceChoice[] {
    return this.#microphones;
  }
  get cameraId(): string {
    return this.#cameraId;
  }
  get microphoneId(): string {
    return this.#microphoneId;
  }
  get audioEnabled(): boolean {
    return this.#audioEnabled;
  }
  get videoEnabled(): boolean {
    return this.#videoEnabled;
  }
  get isSharingScreen(): boolean {
    return this.#screenTrack !== null;
  }
  get audioTrack(): MediaStreamTrack | null {
    return this.stream.getAudioTracks()[0] ?? null;
  }
  get videoTrack(): MediaStreamTrack | null {
    return this.stream.getVideoTracks()[0] ?? null;
  }
  get canSwitchCamera(): boolean {
    return this.#cameras.length > 1 && !this.isSharingScreen;
  }
  get canShareScreen(): boolean {
    return typeof this.#mediaDevices?.getDisplayMedia === 'function';
  }

  /** Start camera and microphone once; later calls return the same promise. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    const devices = this.#mediaDevices;
    if (devices === undefined) {
      this.#setProblem(unsupportedMedia());
      return;
    }
    try {
      const stream = await devices.getUserMedia({ audio: true, video: VIDEO_CONSTRAINTS });
      for (const track of stream.getTracks()) this.#install(track);
      this.#problem = null;
    } catch (error) {
      const problem = describeMediaError(error);
      if (problem.kind !== 'missing') {
        this.#setProblem(problem);
        return;
      }
      // One kind may still exist (a laptop with a microphone but its camera disabled).
      await this.#startEachKindAlone(devices);
    }
    await this.#refreshDevices();
    this.changed.emit();
  }

  async #startEachKindAlone(devices: MediaDevices): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      try {
        const stream = await devices.getUserMedia(
          kind === 'audio' ? { audio: true } : { video: VIDEO_CONSTRAINTS },
        );
        for (const track of stream.getTracks()) this.#install(track);
      } catch {
        // Missing kinds are reported together below.
      }
    }
    this.#problem = describePartialMedia(this.audioTrack !== null, this.videoTrack !== null);
  }

  /** Use another camera. */
  async selectCamera(deviceId: string): Promise<void> {
    await this.#switchDevice('video', deviceId);
  }

  /** Use another microphone. */
  async selectMicrophone(deviceId: string): Promise<void> {
    await this.#switchDevice('audio', deviceId);
  }

  /** Cycle to the next camera (phones: front/back). */
  async switchCamera(): Promise<void> {
    if (!this.canSwitchCamera) return;
    const index = this.#cameras.findIndex((camera) => camera.deviceId === this.#cameraId);
    const next = this.#cameras[(index + 1) % this.#cameras.length];
    if (next !== undefined) await this.selectCamera(next.deviceId);
  }

  async #switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    const devices = this.#mediaDevices;
    if (devices === undefined) return;
    const constraints: MediaTrackConstraints =
      kind === 'video'
        ? { ...VIDEO_CONSTRAINTS, deviceId: { exact: deviceId } }
        : { deviceId: { exact: deviceId } };
    try {
      const stream = await devices.getUserMedia(
        kind === 'video' ? { video: constraints } : { audio: constraints },
      );
      const track = stream.getTracks()[0];
      if (track !== undefined) this.#install(track);
      this.#problem = null;
    } catch (error) {
      this.#problem = describeMediaError(error);
    }
    this.changed.emit();
  }

  /** Mute or unmute the microphone. */
  setAudioEnabled(enabled: boolean): void {
    this.#audioEnabled = enabled;
    const track = this.audioTrack;
    if (track !== null) track.enabled = enabled;
    this.changed.emit();
  }

  /** Turn the camera off or on. */
  setVideoEnabled(enabled: boolean): void {
    this.#videoEnabled = enabled;
    const track = this.videoTrack;
    if (track !== null) track.enabled = enabled;
    this.changed.emit();
  }

  /** Send the screen instead of the camera until `stopScreenShare()` or the browser's own "Stop sharing". */
  async startScreenShare(): Promise<void> {
    const devices = this.#mediaDevices;
    if (devices === undefined || this.#screenTrack !== null) return;
    const stream = await devices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    if (track === undefined) return;
    this.#screenTrack = track;
    track.addEventListener('ended', () => this.stopScreenShare());
    this.#swapTrack('video', track);
    this.changed.emit();
  }

  /** Go back to the camera. */
  stopScreenShare(): void {
    const screen = this.#screenTrack;
    if (screen === null) return;
    this.#screenTrack = null;
    screen.stop();
    this.#swapTrack('video', this.#cameraTrack);
    this.changed.emit();
  }

  /** Stop every device (the page is going away). */
  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
    this.#cameraTrack?.stop();
  }

  #install(track: MediaStreamTrack): void {
    if (track.kind === 'video') {
      this.#cameraTrack?.stop();
      this.#cameraTrack = track;
      this.#cameraId = track.getSettings().deviceId ?? '';
      track.enabled = this.#videoEnabled;
      // While sharing the screen, the new camera waits until the share ends.
      if (this.#screenTrack === null) this.#swapTrack('video', track);
    } else {
      this.audioTrack?.stop();
      this.#microphoneId = track.getSettings().deviceId ?? '';
      track.enabled = this.#audioEnabled;
      this.#swapTrack('audio', track);
    }
  }

  #swapTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    for (const old of kind === 'audio' ? this.stream.getAudioTracks() : this.stream.getVideoTracks()) {
      this.stream.removeTrack(old);
    }
    if (track !== null) this.stream.addTrack(track);
    this.trackReplaced.emit(kind, track);
  }

  async #refreshDevices(): Promise<void> {
    const devices = this.#mediaDevices;
    if (devices === undefined) return;
    const all = await devices.enumerateDevices();
    const choices = (kind: MediaDeviceKind, noun: string): DeviceChoice[] =>
      all
        .filter((device) => device.kind === kind && device.deviceId !== '')
        .map((device, index) => ({
          deviceId: device.deviceId,
          label: device.label || `${noun} ${index + 1}`,
        }));
    this.#cameras = choices('videoinput', 'Camera');
    this.#microphones = choices('audioinput', 'Microphone');
    this.changed.emit();
  }

  #setProblem(problem: MediaProblem): void {
    this.#problem = problem;
    this.changed.emit();
  }
}

/** The browser's media devices; absent on insecure origins (plain http to a non-localhost host). */
function browserMediaDevices(): MediaDevices | undefined {
  return 'mediaDevices' in navigator ? navigator.mediaDevices : undefined;
}
