import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEED_ARTICLE_PATH, SEED_SAMPLES_DIR, loadSeedRegistryUpdates, loadSeedSamples } from '../../local/seed/seed-files.ts';
import { parseEvent } from '../../events/validation.ts';
import { MAX_QUARANTINED_BODY_BYTES, quarantineToItem } from '../../functions/adapters/dynamodb/items.ts';
import { toReportedStatement } from '../../functions/application/contracts-v1.ts';
import { buildRegistry } from '../../functions/core/registry.ts';
import { resolveStatement } from '../../functions/core/resolution.ts';

const registry = buildRegistry(loadSeedRegistryUpdates());
const article = readFileSync(SEED_ARTICLE_PATH);
const arabicSamples = loadSeedSamples().filter(({ event }) => (event.detail['quote'] as { lang: string }).lang === 'ar');

const quoteBytesThrough = (raw: unknown): Buffer => {
  const result = parseEvent(raw);
  if (!result.ok || result.event.detailType !== 'Statement Recorded') throw new Error(JSON.stringify(result));
  const record = resolveStatement(toReportedStatement(result.event), registry);
  // As the record is stored and published: serialised to JSON and read back.
  const stored = JSON.parse(JSON.stringify(record)) as typeof record;
  return Buffer.from(stored.quote!.text, 'utf8');
};

describe('Arabic quotes flow byte-exact from the sample to the resolved statement', () => {
  it('there are Arabic samples to check', () => {
    expect(arabicSamples.length).toBeGreaterThanOrEqual(12);
  });

  it.each(arabicSamples.map((s) => [s.file, s.event] as const))('%s', (file, event) => {
    // Prepare: the quote's bytes as committed in the sample file.
    const fileText = readFileSync(`${SEED_SAMPLES_DIR}${file}`, 'utf8');
    const committed = Buffer.from((JSON.parse(fileText).detail.quote as { text: string }).text, 'utf8');
    // Act: the three ways a consumer receives an event.
    const asObject = quoteBytesThrough(event);
    const withStringDetail = quoteBytesThrough({ ...event, detail: JSON.stringify(event.detail) });
    const asSqsBody = quoteBytesThrough(fileText);
    // Assess
    expect(asObject.equals(committed)).toBe(true);
    expect(withStringDetail.equals(committed)).toBe(true);
    expect(asSqsBody.equals(committed)).toBe(true);
    // The quote was sliced from the article, not retyped: its exact bytes occur in the article.
    expect(article.indexOf(committed)).toBeGreaterThanOrEqual(0);
  });

  it('keeps diacritics, shadda and typos of the original (nothing is normalised)', () => {
    // Prepare: the Putin sample quotes «يدّعي» (with shadda) and «يُبرم» (with damma).
    const putin = arabicSamples.find((s) => s.file.startsWith('02-'))!;
    // Act
    const text = quoteBytesThrough(putin.event).toString('utf8');
    // Assess
    expect(text).toContain('يد\u0651عي');
    expect(text).toContain('ي\u064Fبرم');
    const elysee = arabicSamples.find((s) => s.file.startsWith('06-'))!;
    expect(quoteBytesThrough(elysee.event).toString('utf8')).toContain('الولايت المتحدة.');
  });
});

describe('a quarantined body is kept as received', () => {
  const stored = (body: string) => quarantineToItem({
    body, messageId: 'm-1', reason: 'invalid-event', problems: [], receivedAt: '2026-01-06T10:00:00.000Z', fingerprint: 'f',
  });

  it('byte for byte, escapes, spacing and Arabic included', () => {
    // Prepare
    const body = '{ "detail-type" : "Statement Recordet",\n  "detail": {"q":"\\u0645 قالَ ـ \u200F"} }';
    // Act
    const item = stored(body);
    // Assess
    expect(Buffer.from(item['body'] as string, 'utf8').equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(item['bodyBytes']).toBe(Buffer.byteLength(body, 'utf8'));
    expect(item['truncated']).toBeUndefined();
  });

  it('past the item limit, as an exact head that splits no character', () => {
    // Prepare: Arabic letters are two bytes, so the limit falls inside one of them.
    const body = `x${'ب'.repeat(MAX_QUARANTINED_BODY_BYTES / 2)}`;
    const bytes = Buffer.from(body, 'utf8');
    // Act
    const item = stored(body);
    // Assess
    const head = Buffer.from(item['body'] as string, 'utf8');
    expect(item['truncated']).toBe(true);
    expect(head.byteLength).toBe(MAX_QUARANTINED_BODY_BYTES - 1);
    expect(bytes.subarray(0, head.byteLength).equals(head)).toBe(true);
    expect(item['body']).not.toContain('\uFFFD');
  });
});
