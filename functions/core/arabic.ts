/**
 * Normalisation for alias LOOKUP only. The result is a matching key: it is never stored, shown or
 * sent anywhere, and quote text never passes through here (quotes stay byte-exact).
 *
 * Newsroom copy spells the same name many ways: with or without vowel marks, with a decorative
 * tatweel, with hamza/alef variants that keyboards and OCR mix up, with Persian-keyboard letters,
 * with Arabic-Indic digits. Each rule below folds one such family of variants onto one key.
 *
 * Decision: the definite article (ال) is NOT stripped. Lookup compares whole strings, and
 * stripping would fold names that merely begin with alef-lam once alef forms are unified
 * (ألمانيا → المانيا → مانيا, إلياس → الياس → ياس) and make unrelated keys collide. A name that
 * is written both with and without the article is registered with both spellings as aliases.
 */

/** Tashkeel and other combining Arabic marks, the superscript alef, and Quranic annotation marks. */
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
/**
 * Invisible characters that copy-paste from web pages and word processors leaves inside names:
 * zero-width (non-)joiners, bidi marks and embeddings, the Arabic letter mark, the BOM.
 */
const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]/g;
const WHITESPACE = /\s+/g;

const LETTER_FOLDS: Readonly<Record<string, string>> = {
  // Alef with hamza above/below, madda, wasla, wavy hamza: all read as a bare alef in lookups.
  '\u0623': '\u0627', // أ
  '\u0625': '\u0627', // إ
  '\u0622': '\u0627', // آ
  '\u0671': '\u0627', // ٱ
  '\u0672': '\u0627', // ٲ
  '\u0673': '\u0627', // ٳ
  '\u0624': '\u0648', // ؤ → و
  '\u0626': '\u064A', // ئ → ي
  '\u0629': '\u0647', // ة → ه (taa marbuta is often typed as haa at the end of a word)
  '\u0649': '\u064A', // ى → ي (alef maqsura and final yaa are used interchangeably)
  // Persian-keyboard letters that look identical to their Arabic counterparts.
  '\u06CC': '\u064A', // ی → ي
  '\u06A9': '\u0643', // ک → ك
};
const FOLDABLE = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');

/** Arabic-Indic (U+0660–0669) and Extended/Persian (U+06F0–06F9) digits. */
const NON_ASCII_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;
const toAsciiDigit = (digit: string): string => {
  const code = digit.charCodeAt(0);
  const zero = code >= 0x06f0 ? 0x06f0 : 0x0660;
  return String(code - zero);
};

export const normaliseForLookup = (text: string): string =>
  // NFKC first: it composes alef + combining hamza into أ (so the fold below sees one letter) and
  // maps Arabic presentation forms (ﻻ, ﺑ…) and full-width Latin onto ordinary letters.
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(INVISIBLES, '')
    .replace(ARABIC_MARKS, '')
    .replace(TATWEEL, '')
    .replace(FOLDABLE, (letter) => LETTER_FOLDS[letter] ?? letter)
    .replace(NON_ASCII_DIGITS, toAsciiDigit)
    .replace(WHITESPACE, ' ')
    .trim();
