/** A full-page screen the app mounts in `<main>`, and disposes when it switches to another one. */
export interface Screen {
  readonly element: HTMLElement;
  /** Release listeners, media elements and connections the screen owns. */
  dispose(): void;
}
