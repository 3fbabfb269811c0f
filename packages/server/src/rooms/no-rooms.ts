/**
 * The room list of a session in no room. Room lists are replaced, never mutated, so every such session
 * (most idle ones) shares this one frozen array instead of holding an empty array of its own.
 */
export const NO_ROOMS: readonly string[] = Object.freeze([]);
