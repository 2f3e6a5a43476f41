import { describe, expect, it } from 'vitest';
import { controlSafeLines, escapeControlCharacters } from '../../functions/shared/control-characters.ts';

describe('escapeControlCharacters', () => {
  it('writes escape sequences, C1 controls, NUL, DEL, CR and bidi overrides as visible \\uXXXX', () => {
    expect(escapeControlCharacters('\u001b[2J')).toBe('\\u001b[2J');
    expect(escapeControlCharacters('\u001b]0;title\u0007')).toBe('\\u001b]0;title\\u0007');
    expect(escapeControlCharacters('a\u009b2Jb\u0000c\u007fd\re')).toBe('a\\u009b2Jb\\u0000c\\u007fd\\u000de');
    expect(escapeControlCharacters('\u202Eevil\u202C \u2066x\u2069')).toBe('\\u202eevil\\u202c \\u2066x\\u2069');
  });

  it('breaks no line unless told to keep newlines, and then keeps only LF', () => {
    expect(escapeControlCharacters('one\ntwo\u2028three')).toBe('one\\u000atwo\\u2028three');
    expect(escapeControlCharacters('one\ntwo\r\nthree', { keepNewlines: true })).toBe('one\ntwo\\u000d\nthree');
  });

  it('leaves Arabic, its diacritics and bidi marks, tabs and emoji as they are', () => {
    // Prepare
    const arabic = 'يدّعي بوتين أنه لن يُبرم\u200F اتفاقاً\u061C «ليس من حقهم»\t😀';

    // Act
    const escaped = escapeControlCharacters(arabic);

    // Assess
    expect(Buffer.from(escaped, 'utf8').equals(Buffer.from(arabic, 'utf8'))).toBe(true);
  });

  it('keeps escaped JSON valid JSON with the same value', () => {
    // Prepare
    const value = { quote: 'C1 \u009b, override \u202e, separator \u2028, \u001b[2J' };

    // Act
    const escaped = escapeControlCharacters(JSON.stringify(value, null, 2), { keepNewlines: true });

    // Assess
    expect(JSON.parse(escaped)).toEqual(value);
  });
});

describe('controlSafeLines', () => {
  it('splits on every line break a renderer honours, and escapes what is left in each line', () => {
    expect(controlSafeLines('a\nb\r\nc\rd\u2028e\u2029f\u000bg\u000ch\u0085i')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(controlSafeLines('\u001b[2Jone')).toEqual(['\\u001b[2Jone']);
    expect(controlSafeLines('')).toEqual(['']);
  });
});
