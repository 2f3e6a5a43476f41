/** Only http(s) links become hrefs: a `javascript:` or `data:` URL in a source stays text. */
export const safeHref = (url: string | undefined): string | null => {
  if (url === undefined) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
};
