import { describe, expect, it } from 'vitest';
import { NICKNAME_MAX_LENGTH, nicknameKey, normalizeNickname, validateNickname } from './nickname.js';

describe('validateNickname', () => {
  it('trims, collapses white space and NFKC-normalises', () => {
    expect(validateNickname('  Ada   Lovelace ')).toEqual({
      ok: true,
      nickname: 'Ada Lovelace',
      key: 'ada lovelace',
    });
    expect(normalizeNickname('ＡＤＡ')).toBe('ADA'); // full-width letters
  });

  it("accepts letters of any script, digits, marks and _ - . '", () => {
    for (const name of ['Zoë', '李雷', 'Ольга', "O'Brien", 'a.b-c_d', '42'])
      expect(validateNickname(name).ok).toBe(true);
  });

  it('rejects empty, too long, and disallowed characters', () => {
    expect(validateNickname('   ')).toMatchObject({ ok: false, reason: 'nickname must not be empty' });
    expect(validateNickname('x'.repeat(NICKNAME_MAX_LENGTH)).ok).toBe(true);
    expect(validateNickname('x'.repeat(NICKNAME_MAX_LENGTH + 1))).toMatchObject({ ok: false });
    for (const name of ['<script>', 'a@b', '-dash-first', 'emoji😀', 'tab\there\u0000']) {
      expect(validateNickname(name).ok).toBe(false);
    }
  });

  it('counts length in code points, not UTF-16 units', () => {
    const astral = '𝒜'.repeat(NICKNAME_MAX_LENGTH); // mathematical script A, one code point, two units
    expect(validateNickname(astral).ok).toBe(true);
  });
});

describe('nicknameKey', () => {
  it('folds case, accents and common homoglyphs to one key', () => {
    const key = nicknameKey('Ada');
    for (const lookalike of ['ADA', 'ada', 'Ádá', 'Аda' /* Cyrillic А */, 'Αda' /* Greek Α */]) {
      expect(nicknameKey(lookalike)).toBe(key);
    }
    expect(nicknameKey('l0l')).toBe(nicknameKey('IOI'));
  });

  it('keeps different names apart', () => {
    expect(nicknameKey('Ada')).not.toBe(nicknameKey('Adam'));
    expect(nicknameKey('Ana')).not.toBe(nicknameKey('Ada'));
  });
});
