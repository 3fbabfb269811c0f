/** UTF-16 code units of JSON's structural characters, for the scanners that read frames without parsing them. */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;
/**
 * The space, the highest of JSON's four whitespace characters: a code unit above it is never whitespace.
 * The scanners test that before calling `skipJsonSpace`, because frames are nearly always compact JSON.
 */
export const SPACE = 0x20;
