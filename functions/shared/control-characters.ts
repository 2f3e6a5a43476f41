/**
 * Text from publishers and from the registry, made inert wherever it is rendered. Anyone who can
 * publish writes quotes, reasons and outlets, and anyone who can register writes names, so none
 * of it may steer the place it is shown in:
 *  - a terminal obeys escape sequences (ESC [2J clears the screen, ESC ]0;…BEL retitles the
 *    window, C1 CSI does the same on some terminals) and CR returns to the start of the line;
 *  - an e-mail or a chat message shows a line break as a new line, where a quote could start a
 *    line that imitates the message's own headings;
 *  - the explicit bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)
 *    reorder the rest of the line they sit on, so a name could make a stance or a source read
 *    backwards.
 *
 * One rule serves every renderer: such characters are written as the visible `\uXXXX` (the way
 * JSON escapes them, so escaped JSON stays valid JSON with the same value). Tab is kept (it is
 * whitespace and nothing more), and so are the bidi marks (LRM, RLM, ALM): Arabic text uses them,
 * and they only settle the direction of the characters beside them. Arabic letters, diacritics and
 * punctuation are untouched. The stored text is never altered; only what is shown.
 */

/** Line breaks some renderer honours: CRLF, LF, VT, FF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;

/** C0 but tab, DEL, C1, and the bidi embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

const visible = (character: string): string => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

export interface EscapeOptions {
  /**
   * Keep LF as a line break, for a sink that is handed whole lines of the program's own layout.
   * Fields that must stay on one line (names, ids, reasons in a heading) leave it off.
   */
  keepNewlines?: boolean;
}

/** The text with every control character (see above) written as `\uXXXX`. */
export const escapeControlCharacters = (text: string, options: EscapeOptions = {}): string =>
  text.replace(CONTROL, (character) => (options.keepNewlines === true && character === '\n' ? character : visible(character)));

/**
 * The lines of a multi-line text, each escaped: for a renderer that frames every line of a quote
 * (`> …`) so that no line of it can begin where the message's own lines begin.
 */
export const controlSafeLines = (text: string): string[] => text.split(LINE_BREAK).map((line) => escapeControlCharacters(line));

