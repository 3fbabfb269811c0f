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
  /**
   * Known to be ASCII only (the decoder saw as many bytes as characters), so a transport that writes ASCII
   * text as Latin-1 need not measure it again. `false` means "not known", not "not ASCII".
   */
  readonly isAscii: boolean;

  /**
   * @param text valid JSON text of one value (the decoder checked it)
   * @param isAscii whether `text` is known to hold only ASCII characters
   */
  constructor(text: string, isAscii = false) {
    this.text = text;
    this.isAscii = isAscii;
  }

  /** The value itself, parsed on demand (only code that must look inside pays for it). */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
