/**
 * The desk's forms, one per detail-type the desk may send: each field is a path into the detail,
 * how its text converts, its labels in both languages and the input that edits it. The form view
 * renders any of them; `buildDetail` and `validateDetail` (detail.ts) do the rest.
 */
import { LANGUAGES } from '../../../events/common.ts';
import type { Names } from '../api/types.ts';
import type { FieldRule } from './detail.ts';

export type InputKind = 'text' | 'textarea' | 'select' | 'checkbox' | 'datetime' | 'lines' | 'speaker' | 'url';

/** Where a select's options come from. */
export type OptionSource = 'issues' | 'actors' | 'blocs' | 'stances' | 'languages' | 'actor-kinds' | 'watch-kinds' | 'yes-no' | 'issue-status';

export interface FieldSpec extends FieldRule {
  label: Names;
  input: InputKind;
  options?: OptionSource;
  /** Filled when the form opens (and after each send): a fresh id, or the current time. */
  generated?: 'id' | 'now';
  initial?: string | boolean;
  /** Free text in any language: typed right to left when it is Arabic. */
  anyDirection?: boolean;
}

export interface FormSpec {
  detailType: string;
  group: 'statements' | 'registry';
  /** Always in the detail, whatever the form holds. */
  fixed: Record<string, unknown>;
  fields: FieldSpec[];
  /** The registry contracts version records by `updatedAt`: set to the time of sending. */
  stampUpdatedAt?: boolean;
  /** Whether the server can preview its effect. */
  previewable: boolean;
}

const f = (path: string, en: string, ar: string, input: InputKind, rest: Partial<FieldSpec> = {}): FieldSpec => ({
  path, label: { en, ar }, input, convert: 'text', ...rest,
});

const recordedBy = f('recordedBy', 'Recorded by', 'سجّله', 'text', { initial: 'desk' });
const sourceFields = [
  f('source.outlet', 'Outlet', 'الوسيلة الإعلامية', 'text', { anyDirection: true }),
  f('source.url', 'Link to the source', 'رابط المصدر', 'url', { optional: true }),
];
const quoteFields = (prefix: string, optional: boolean): FieldSpec[] => [
  f(`${prefix}quote.text`, 'Quote, in its original language', 'الاقتباس بلغته الأصلية', 'textarea', { anyDirection: true, optional }),
  f(`${prefix}quote.lang`, 'Language of the quote', 'لغة الاقتباس', 'select', { options: 'languages', optional, ...(optional ? {} : { initial: 'ar' }) }),
  f(`${prefix}quote.translation.text`, 'Translation', 'الترجمة', 'textarea', { anyDirection: true, optional: true }),
  f(`${prefix}quote.translation.lang`, 'Language of the translation', 'لغة الترجمة', 'select', { options: 'languages', optional: true }),
];
const names = (prefix: string, en: string, ar: string): FieldSpec[] => [
  f(`${prefix}.en`, `${en} (English)`, `${ar} (بالإنجليزية)`, 'text'),
  f(`${prefix}.ar`, `${en} (Arabic)`, `${ar} (بالعربية)`, 'text', { anyDirection: true }),
];
const aliases = f('aliases', 'Aliases (one per line, English or Arabic)', 'الألقاب (واحد في كل سطر، بالعربية أو الإنجليزية)', 'lines', { convert: 'lines', anyDirection: true, optional: true });

export const FORMS: readonly FormSpec[] = [
  {
    detailType: 'Statement Recorded', group: 'statements', fixed: { schemaVersion: '1' }, previewable: true,
    fields: [
      f('statementId', 'Statement id', 'معرّف التصريح', 'text', { generated: 'id' }),
      f('speaker', 'Speaker (id, name or alias)', 'المتحدث (معرّف أو اسم أو لقب)', 'speaker', { anyDirection: true }),
      f('actor', 'Actor spoken for (when not the speaker’s own)', 'الطرف الممثَّل (إن لم يكن طرف المتحدث)', 'select', { options: 'actors', optional: true }),
      f('issue', 'Issue', 'القضية', 'select', { options: 'issues' }),
      f('stance', 'Stance', 'الموقف', 'select', { options: 'stances', convert: 'int' }),
      f('hedged', 'Hedged (“maybe”)', 'متحفظ («ربما»)', 'checkbox', { convert: 'bool', initial: false }),
      ...quoteFields('', false),
      f('saidAt', 'Said at', 'قيل في', 'datetime', { convert: 'instant', generated: 'now' }),
      ...sourceFields,
      recordedBy,
    ],
  },
  {
    detailType: 'Stance Changed', group: 'statements', fixed: { schemaVersion: '1' }, previewable: true,
    fields: [
      f('changeId', 'Change id', 'معرّف التغيير', 'text', { generated: 'id' }),
      f('actor', 'Actor', 'الطرف', 'select', { options: 'actors' }),
      f('issue', 'Issue', 'القضية', 'select', { options: 'issues' }),
      f('stance', 'Stance', 'الموقف', 'select', { options: 'stances', convert: 'int' }),
      f('hedged', 'Hedged (“maybe”)', 'متحفظ («ربما»)', 'checkbox', { convert: 'bool', initial: false }),
      f('effectiveAt', 'Effective at', 'يسري اعتباراً من', 'datetime', { convert: 'instant', generated: 'now' }),
      f('reason', 'Why the desk records it (document, briefing, vote)', 'سبب التسجيل (وثيقة، إحاطة، تصويت)', 'textarea', { anyDirection: true }),
      ...sourceFields,
      recordedBy,
    ],
  },
  {
    detailType: 'Statement Corrected', group: 'statements', fixed: { schemaVersion: '1' }, previewable: true,
    fields: [
      f('statementId', 'Id of the statement corrected', 'معرّف التصريح المصحَّح', 'text'),
      f('correctionId', 'Correction id', 'معرّف التصحيح', 'text', { generated: 'id' }),
      f('changes.stance', 'Corrected stance', 'الموقف المصحَّح', 'select', { options: 'stances', convert: 'int', optional: true }),
      f('changes.hedged', 'Corrected hedging', 'التحفظ المصحَّح', 'select', { options: 'yes-no', convert: 'yes-no', optional: true }),
      f('changes.speaker', 'Corrected speaker', 'المتحدث المصحَّح', 'speaker', { optional: true, anyDirection: true }),
      f('changes.issue', 'Corrected issue', 'القضية المصحَّحة', 'select', { options: 'issues', optional: true }),
      f('changes.saidAt', 'Corrected time said', 'الوقت المصحَّح', 'datetime', { convert: 'instant', optional: true }),
      ...quoteFields('changes.', true),
      f('reason', 'Why the record was wrong', 'لماذا كان السجل خاطئاً', 'textarea', { anyDirection: true }),
      f('correctedAt', 'Corrected at', 'وقت التصحيح', 'datetime', { convert: 'instant', generated: 'now' }),
      recordedBy,
    ],
  },
  {
    detailType: 'Statement Retracted', group: 'statements', fixed: { schemaVersion: '1' }, previewable: true,
    fields: [
      f('statementId', 'Id of the statement retracted', 'معرّف التصريح المسحوب', 'text'),
      f('retractionId', 'Retraction id', 'معرّف السحب', 'text', { generated: 'id' }),
      f('reason', 'Why it is withdrawn', 'سبب السحب', 'textarea', { anyDirection: true }),
      f('redact', 'Redact the quote (legal removal)', 'حجب الاقتباس (إزالة قانونية)', 'checkbox', { convert: 'bool', optional: true, initial: false }),
      f('retractedAt', 'Retracted at', 'وقت السحب', 'datetime', { convert: 'instant', generated: 'now' }),
      recordedBy,
    ],
  },
  {
    detailType: 'Actor Registered', group: 'registry', fixed: { schemaVersion: '1' }, stampUpdatedAt: true, previewable: false,
    fields: [
      f('actor', 'Actor id (a-z, 0-9, hyphens)', 'معرّف الطرف', 'text'),
      f('kind', 'Kind', 'النوع', 'select', { options: 'actor-kinds', initial: 'state' }),
      ...names('names', 'Name', 'الاسم'),
      aliases,
    ],
  },
  {
    detailType: 'Speaker Registered', group: 'registry', fixed: { schemaVersion: '1' }, stampUpdatedAt: true, previewable: false,
    fields: [
      f('speaker', 'Speaker id (a-z, 0-9, hyphens)', 'معرّف المتحدث', 'text'),
      f('actor', 'Speaks for', 'يتحدث باسم', 'select', { options: 'actors' }),
      ...names('names', 'Name', 'الاسم'),
      f('role.en', 'Role (English)', 'الصفة (بالإنجليزية)', 'text', { optional: true }),
      f('role.ar', 'Role (Arabic)', 'الصفة (بالعربية)', 'text', { optional: true, anyDirection: true }),
      aliases,
    ],
  },
  {
    detailType: 'Issue Registered', group: 'registry', fixed: { schemaVersion: '1' }, stampUpdatedAt: true, previewable: false,
    fields: [
      f('issue', 'Issue id (a-z, 0-9, hyphens)', 'معرّف القضية', 'text'),
      ...names('title', 'Title', 'العنوان'),
      ...names('proposition', 'Proposition', 'الطرح'),
      f('status', 'Status', 'الحالة', 'select', { options: 'issue-status', initial: 'open' }),
      f('published', 'Published in the public feeds', 'منشورة في الموجزات العامة', 'checkbox', { convert: 'bool', initial: false }),
    ],
  },
  {
    detailType: 'Bloc Registered', group: 'registry', fixed: { schemaVersion: '1' }, stampUpdatedAt: true, previewable: false,
    fields: [
      f('bloc', 'Bloc id (a-z, 0-9, hyphens)', 'معرّف التكتل', 'text'),
      ...names('names', 'Name', 'الاسم'),
      f('members', 'Member actor ids (one per line)', 'معرّفات الأعضاء (واحد في كل سطر)', 'lines', { convert: 'lines' }),
    ],
  },
  {
    detailType: 'Watch Registered', group: 'registry', fixed: { schemaVersion: '1' }, stampUpdatedAt: true, previewable: false,
    fields: [
      f('watch', 'Watch id (a-z, 0-9, hyphens)', 'معرّف المراقبة', 'text'),
      f('kind', 'Kind', 'النوع', 'select', { options: 'watch-kinds', initial: 'actor-vs-bloc' }),
      f('actor', 'Actor (against the bloc)', 'الطرف (في مواجهة التكتل)', 'select', { options: 'actors', optional: true }),
      f('bloc', 'Bloc', 'التكتل', 'select', { options: 'blocs' }),
      f('issues', 'Issues (* for all, or one id per line)', 'القضايا (* للكل، أو معرّف في كل سطر)', 'lines', { convert: 'issues', initial: '*' }),
      f('threshold', 'Gap that opens a divergence (1-4)', 'الفجوة التي تفتح تبايناً (1-4)', 'text', { convert: 'int', initial: '2' }),
      f('quorum', 'Members needed for a bloc stance', 'عدد الأعضاء اللازم لموقف التكتل', 'text', { convert: 'int', initial: '3' }),
    ],
  },
];

export const LANGUAGE_OPTIONS: readonly string[] = LANGUAGES;

/** A fresh publisher-chosen id for statementId, changeId, correctionId, …: `desk-<uuid>`. */
export const newEventId = (): string => `desk-${crypto.randomUUID()}`;

/** The value a `datetime-local` input shows for an instant, in the browser's zone, to the second. */
export const localDateTime = (date: Date): string => {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
};

export const initialValues = (form: FormSpec, now: Date): Record<string, string | boolean> =>
  Object.fromEntries(
    form.fields.map((field) => [
      field.path,
      field.generated === 'id' ? newEventId() : field.generated === 'now' ? localDateTime(now) : (field.initial ?? (field.input === 'checkbox' ? false : '')),
    ]),
  );
