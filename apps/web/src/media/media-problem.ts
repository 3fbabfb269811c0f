/**
 * Turns getUserMedia failures into messages a person can act on. The app must stay usable for chat and
 * files whatever happens here, so every problem says so.
 */

/** Why local media is missing or partial. */
export type MediaProblem =
  | { readonly kind: 'denied'; readonly message: string }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'busy'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

const STILL_USABLE = 'You can still chat and share files.';

/** Describe the failure of a getUserMedia call. */
export function describeMediaError(error: unknown): MediaProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return {
        kind: 'denied',
        message: `Camera and microphone access was blocked. Allow it in the browser's site settings and reload. ${STILL_USABLE}`,
      };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { kind: 'missing', message: `No camera or microphone was found. ${STILL_USABLE}` };
    case 'NotReadableError':
    case 'AbortError':
      return {
        kind: 'busy',
        message: `The camera or microphone is in use by another application. ${STILL_USABLE}`,
      };
    default:
      return {
        kind: 'failed',
        message: `The camera and microphone could not be started (${error instanceof Error ? error.message : String(error)}). ${STILL_USABLE}`,
      };
  }
}

/** The problem to show when only one kind of device exists. */
export function describePartialMedia(hasAudio: boolean, hasVideo: boolean): MediaProblem | null {
  if (hasAudio && hasVideo) return null;
  if (hasAudio) return { kind: 'missing', message: 'No camera was found: calls will be audio only.' };
  if (hasVideo)
    return { kind: 'missing', message: 'No microphone was found: others will see but not hear you.' };
  return { kind: 'missing', message: `No camera or microphone was found. ${STILL_USABLE}` };
}

/** The problem to show when the browser has no media API at all (e.g. an insecure origin). */
export function unsupportedMedia(): MediaProblem {
  return {
    kind: 'unsupported',
    message: `This page cannot use a camera here (it needs HTTPS or localhost). ${STILL_USABLE}`,
  };
}
