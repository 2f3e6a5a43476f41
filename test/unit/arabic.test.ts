import { describe, expect, it } from 'vitest';
import { normaliseForLookup } from '../../functions/core/arabic.ts';

describe('normaliseForLookup folds the spellings of one name onto one key', () => {
  it.each([
    ['tashkeel (fatha, damma, kasra, sukun, shadda, tanwin)', 'بُوتِينْ', 'بوتين'],
    ['shadda as in the article', 'هيلّي', 'هيلي'],
    ['superscript alef', 'هٰذا', 'هذا'],
    ['Quranic annotation marks', 'بوتين\u06D6', 'بوتين'],
    ['tatweel', 'بوتـــين', 'بوتين'],
    ['alef with hamza above', 'أوكرانيا', 'اوكرانيا'],
    ['alef with hamza below', 'إيمانويل', 'ايمانويل'],
    ['alef with madda', 'آسيا', 'اسيا'],
    ['alef wasla', 'ٱلكرملين', 'الكرملين'],
    ['hamza on waw', 'مسؤول', 'مسوول'],
    ['hamza on yaa', 'قائد', 'قايد'],
    ['taa marbuta', 'الحكومة', 'الحكومه'],
    ['alef maqsura', 'موسى', 'موسي'],
    ['Persian yeh and keheh', 'کییف', 'كييف'],
    ['Arabic-Indic digits', 'قمة ٢٠٢٥', 'قمه 2025'],
    ['Extended Arabic-Indic (Persian) digits', '۲۰۲۵', '2025'],
    ['upper-case Latin', 'Vladimir PUTIN', 'vladimir putin'],
    ['runs of spaces, tabs, new lines and no-break spaces', '  فلاديمير \t\n\u00A0 بوتين  ', 'فلاديمير بوتين'],
    ['zero-width joiners and bidi marks', 'بو\u200Cتين\u200F', 'بوتين'],
  ])('%s', (_rule, spelling, key) => {
    // Prepare: a spelling met in copy, and the key it must fold to.
    // Act
    const folded = normaliseForLookup(spelling);
    // Assess
    expect(folded).toBe(key);
  });

  it('composes a decomposed hamza (alef + U+0654) before unifying alef forms', () => {
    // Prepare
    const decomposed = 'ا\u0654لمانيا';
    // Act / Assess
    expect(normaliseForLookup(decomposed)).toBe(normaliseForLookup('ألمانيا'));
    expect(normaliseForLookup(decomposed)).toBe('المانيا');
  });

  it('maps Arabic presentation forms onto ordinary letters (NFKC)', () => {
    // Prepare: بوتين as isolated glyph code points, as some PDFs yield it.
    const glyphs = '\uFE91\uFEEE\uFE97\uFEF4\uFEE6';
    // Act / Assess
    expect(normaliseForLookup(glyphs)).toBe('بوتين');
  });

  it('keeps the definite article: ألمانيا and مانيا stay different keys', () => {
    // Prepare: a name beginning with alef-lam once alef forms are unified.
    // Act
    const germany = normaliseForLookup('ألمانيا');
    // Assess
    expect(germany).toBe('المانيا');
    expect(germany).not.toBe(normaliseForLookup('مانيا'));
    expect(normaliseForLookup('الكرملين')).not.toBe(normaliseForLookup('كرملين'));
  });

  it('returns an empty key for text that is only marks and space', () => {
    expect(normaliseForLookup(' \u064B\u0640 ')).toBe('');
  });

  it('is idempotent', () => {
    // Prepare
    const spellings = ['قائد الكرملين', 'بُوتـين', 'Élysée', 'ﻻ', '٢٠٢٥ إ'];
    // Act / Assess
    for (const spelling of spellings) {
      const once = normaliseForLookup(spelling);
      expect(normaliseForLookup(once)).toBe(once);
    }
  });
});
