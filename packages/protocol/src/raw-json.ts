/**
 * A JSON value kept as the exact text a client sent. The server's edge decoder gives a signal's `data` in
 * this form (`decodeClientMessage(frame, max, { rawSignalData: true })`) because the relay never reads
 * `data`: it only forwards it, and forwarding the sender's text costs neither a parse nor a serialisation.
 *
 * `JSON.stringify` still writes the value it stands for (through `toJSON`), so code that serialises a frame
 * holding one (a bus that stores frames as JSON, a log line) stays correct without knowing about it.
 */
export class RawJson {
  /** The value's JSON text, already checked to be valid JSON. */
  readonly text: string;

  /** @param text valid JSON text of one value (the decoder checked it) */
  constructor(text: string) {
    this.text = text;
  }

  /** The value itself, parsed on demand (only code that must look inside pays for it). */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
