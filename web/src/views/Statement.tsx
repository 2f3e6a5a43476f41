/**
 * One statement of evidence: the quote in its own language and direction, the translation, who
 * said it, the outlet (linked only when the link is http(s)), when, and any correction or
 * retraction with its reason. Every text is a text node: quotes and names are never parsed as HTML.
 */
import type { Evidence } from '../api/types.ts';
import { safeHref } from '../model/links.ts';
import { nameIn, type RegistryView } from '../model/registry.ts';
import { formatStance } from '../model/stance.ts';
import { directionOf, formatInstant, useI18n } from './i18n-context.ts';

export function Statement({ statement, registry }: { statement: Evidence; registry: RegistryView }) {
  const { lang, t } = useI18n();
  const href = safeHref(statement.source.url);
  const speaker = statement.speaker === undefined ? undefined : registry.speakers.get(statement.speaker);
  const revisions = registry.revisions.get(statement.statementId) ?? [];
  return (
    <article class="statement" data-statement={statement.statementId}>
      <p class="statement-meta">
        <span class="stance-tag" dir="ltr">{formatStance(statement.stance)}</span>
        {statement.hedged ? <span class="hedged-tag"> {t.hedged}</span> : null}
        {' · '}
        <time dateTime={statement.saidAt}>{t.saidAt} {formatInstant(statement.saidAt, lang)}</time>
      </p>
      {statement.quote === undefined ? null : (
        <>
          <blockquote class="quote" lang={statement.quote.lang} dir={directionOf(statement.quote.lang)}>
            {statement.quote.text}
          </blockquote>
          {statement.quote.translation === undefined ? null : (
            <p class="translation">
              <span class="label">{t.translation}: </span>
              <span lang={statement.quote.translation.lang} dir={directionOf(statement.quote.translation.lang)}>
                {statement.quote.translation.text}
              </span>
            </p>
          )}
        </>
      )}
      {statement.reason === undefined ? null : (
        <p class="reason"><span class="label">{t.reason}: </span><bdi>{statement.reason}</bdi></p>
      )}
      <p class="attribution">
        {statement.speaker === undefined ? null : (
          <>
            <span class="label">{t.speaker}: </span>
            <bdi>{nameIn(speaker?.names, lang, statement.speaker)}</bdi>
            {' · '}
          </>
        )}
        <span class="label">{t.outlet}: </span>
        {href === null ? (
          <bdi>{statement.source.outlet}</bdi>
        ) : (
          <a href={href} rel="noopener noreferrer" target="_blank"><bdi>{statement.source.outlet}</bdi></a>
        )}
      </p>
      {revisions.map((revision) => (
        <p class={`revision revision-${revision.kind}`} key={revision.revisionId}>
          <strong>{revision.kind === 'retraction' ? t.retracted : t.corrected}: </strong>
          <bdi>{revision.reason}</bdi>
        </p>
      ))}
    </article>
  );
}
