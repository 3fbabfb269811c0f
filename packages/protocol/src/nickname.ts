/**
 * Nickname rules, shared by the server (which enforces them) and the SDK/app (which pre-checks them).
 *
 * Invariants:
 * - The stored nickname is NFKC-normalised, trimmed, with inner white space collapsed to one space.
 * - It is 1..32 code points of letters, marks, digits, space and `_ - . '`, and starts with a letter or digit.
 * - Uniqueness within a room compares `nicknameKey`, which folds case, strips accents and maps common
 *   homoglyphs (Cyrillic/Greek look-alikes, `0`/`O`, `1`/`I`/`l`), so "Ada", "ADA" and "Аda" (Cyrillic А)
 *   cannot coexist. This is a pragmatic subset of the UTS #39 skeleton, not the full table.
 */

export const NICKNAME_MAX_LENGTH = 32;

const ALLOWED = /^[\p{L}\p{N}][\p{L}\p{M}\p{N} _\-.']*$/u;

/** Homoglyphs folded to one Latin letter (applied before lower-casing, so `I` and `l` meet). */
const CONFUSABLES: Record<string, string> = {
  // Latin look-alikes
  '0': 'o',
  O: 'o',
  '1': 'l',
  I: 'l',
  '|': 'l',
  '5': 's',
  $: 's',
  // Cyrillic
  а: 'a',
  А: 'a',
  в: 'b',
  В: 'b',
  е: 'e',
  Е: 'e',
  ё: 'e',
  к: 'k',
  К: 'k',
  м: 'm',
  М: 'm',
  н: 'h',
  Н: 'h',
  о: 'o',
  О: 'o',
  р: 'p',
  Р: 'p',
  с: 'c',
  С: 'c',
  т: 't',
  Т: 't',
  у: 'y',
  У: 'y',
  х: 'x',
  Х: 'x',
  і: 'l',
  І: 'l',
  ј: 'j',
  Ј: 'j',
  ѕ: 's',
  Ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  // Greek
  α: 'a',
  Α: 'a',
  β: 'b',
  Β: 'b',
  ε: 'e',
  Ε: 'e',
  η: 'n',
  Η: 'h',
  ι: 'l',
  Ι: 'l',
  κ: 'k',
  Κ: 'k',
  μ: 'u',
  Μ: 'm',
  ν: 'v',
  Ν: 'n',
  ο: 'o',
  Ο: 'o',
  ρ: 'p',
  Ρ: 'p',
  τ: 't',
  Τ: 't',
  υ: 'u',
  Υ: 'y',
  χ: 'x',
  Χ: 'x',
  ζ: 'z',
  Ζ: 'z',
};

/** The outcome of checking a nickname. */
export type NicknameCheck =
  | { readonly ok: true; readonly nickname: string; readonly key: string }
  | { readonly ok: false; readonly reason: string };

/** Normalise a nickname for storage and display (NFKC, trimmed, single spaces). */
export function normalizeNickname(raw: string): string {
  return raw.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

/** The comparison key: two nicknames with the same key may not share a room. */
export function nicknameKey(nickname: string): string {
  const stripped = normalizeNickname(nickname).normalize('NFKD').replace(/\p{M}/gu, '');
  let key = '';
  for (const ch of stripped) key += CONFUSABLES[ch] ?? ch;
  return key.toLowerCase().normalize('NFKC');
}

/**
 * Validate and normalise a nickname.
 * @example validateNickname('  Ada  Lovelace ') // { ok: true, nickname: 'Ada Lovelace', key: 'ada lovelace' }
 */
export function validateNickname(raw: string): NicknameCheck {
  const nickname = normalizeNickname(raw);
  // Counted in code points, as the limit is documented (a string's `.length` counts UTF-16 units).
  const length = Array.from(nickname).length;
  if (length === 0) return { ok: false, reason: 'nickname must not be empty' };
  if (length > NICKNAME_MAX_LENGTH) {
    return { ok: false, reason: `nickname must be at most ${NICKNAME_MAX_LENGTH} characters` };
  }
  if (!ALLOWED.test(nickname)) {
    return {
      ok: false,
      reason: "nickname must start with a letter or digit and use only letters, digits, spaces and _ - . '",
    };
  }
  return { ok: true, nickname, key: nicknameKey(nickname) };
}
