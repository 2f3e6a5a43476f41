/**
 * Statements at the contract's documented maxima (quote and translation of MAX_QUOTE_BYTES, outlet
 * of MAX_TEXT_BYTES, ids of 128 characters), filled with a character of the caller's choosing: Arabic
 * (2 bytes in UTF-8), a 4-byte character, or a control character, which JSON escapes to 6 bytes.
 */
import { MAX_QUOTE_BYTES, MAX_TEXT_BYTES, type Quote, type SourceRef } from '../../events/common.ts';

export const FILLERS = {
  arabic: 'ع',
  astral: '𝔸',
  control: '\u0001',
} as const;
export type Filler = keyof typeof FILLERS;

/** As many `char` as fit `maxBytes` of UTF-8. */
export const filled = (char: string, maxBytes: number): string => char.repeat(Math.floor(maxBytes / Buffer.byteLength(char, 'utf8')));

export const maxQuote = (filler: Filler): Quote => ({
  text: filled(FILLERS[filler], MAX_QUOTE_BYTES),
  lang: 'ar',
  translation: { text: filled(FILLERS[filler], MAX_QUOTE_BYTES), lang: 'en-GB' },
});

export const maxSource = (filler: Filler): SourceRef => ({
  outlet: filled(FILLERS[filler], MAX_TEXT_BYTES),
  url: 'https://example.org/wire',
});

/** A publisher id of the longest length the contract takes (128), unique by `n`. */
export const maxId = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(4, '0')}-`.padEnd(128, 'x');
