import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { STRINGS, type Lang, type Strings } from '../i18n/strings.ts';

export interface I18n {
  lang: Lang;
  t: Strings;
}

export const I18nContext = createContext<I18n>({ lang: 'en', t: STRINGS.en });

export const useI18n = (): I18n => useContext(I18nContext);

/** Languages written right to left, among those a quote may be tagged with. */
const RTL = new Set(['ar', 'fa', 'he']);

/** The `dir` of text in a language tag (`ar`, `en-GB`). */
export const directionOf = (lang: string): 'rtl' | 'ltr' => (RTL.has(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr');

/** A date-time as the chosen language writes it, in UTC (the record's own zone). */
export const formatInstant = (iso: string, lang: Lang): string =>
  new Intl.DateTimeFormat(lang === 'ar' ? 'ar' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';
