/**
 * Proactive content negotiation on the Accept header (RFC 9110, 12.5.1): which of the media types a
 * route serves the client prefers. Parameters of a range other than `q` do not narrow it, so
 * `text/csv; charset=utf-8` asks for the CSV this API serves.
 */
export interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

/** The ranges of an Accept header; a malformed one is left out, an unreadable weight counts as 0. */
export const parseAccept = (accept: string): MediaRange[] =>
  accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.trim().split(';');
    const [type, subtype] = range.trim().toLowerCase().split('/');
    if (!type || !subtype) return [];
    const qParam = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return [{ type, subtype, q: Number.isFinite(q) ? q : 0 }];
  });

/** The most specific range matching the offered type decides its quality; none matching means 0. */
export const qualityOf = (offered: string, ranges: readonly MediaRange[]): number => {
  const [type, subtype] = offered.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
    if (specificity >= 0 && (best === undefined || specificity > best.specificity)) best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
};

/**
 * The offered type of highest quality, the earlier offered on a tie (so JSON unless the client
 * prefers CSV); undefined when the client accepts none. No Accept header means anything goes.
 */
export const negotiate = <T extends string>(accept: string | undefined, offered: readonly T[]): T | undefined => {
  if (accept === undefined || accept.trim() === '') return offered[0];
  const ranges = parseAccept(accept);
  let chosen: { type: T; q: number } | undefined;
  for (const type of offered) {
    const q = qualityOf(type, ranges);
    if (q > 0 && (chosen === undefined || q > chosen.q)) chosen = { type, q };
  }
  return chosen?.type;
};
