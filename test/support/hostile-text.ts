/** Every kind of line break a renderer might split on, Unicode's included. */
export const LINE_BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u000b', '\u0085', '\u2029', '\f'];

/** One quote made of `lines`, joined by each kind of line break in turn, as a forger would send it. */
export const forgedQuote = (lines: readonly string[]): string =>
  lines.map((line, i) => (i === 0 ? line : `${LINE_BREAKS[i % LINE_BREAKS.length]}${line}`)).join('');
