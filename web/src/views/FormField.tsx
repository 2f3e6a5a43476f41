/**
 * One field of a desk form: its label, its input, and its problems right below it, tied to the
 * input with aria-describedby and aria-invalid so a screen reader reads the reason with the field.
 */
import type { ComponentChildren } from 'preact';
import type { FieldSpec, OptionSource } from '../desk/forms.ts';
import { LANGUAGE_OPTIONS } from '../desk/forms.ts';
import type { FieldValue } from '../desk/detail.ts';
import type { IssueSummary } from '../api/types.ts';
import { nameIn, type RegistryView } from '../model/registry.ts';
import { formatStance, STANCE_STEPS } from '../model/stance.ts';
import { SpeakerSearch } from './SpeakerSearch.tsx';
import { useI18n } from './i18n-context.ts';

export interface OptionContext {
  registry: RegistryView;
  issues: readonly IssueSummary[];
}

type Option = { value: string; label: string };

const optionsFor = (source: OptionSource, context: OptionContext, lang: 'en' | 'ar', t: ReturnType<typeof useI18n>['t']): Option[] => {
  switch (source) {
    case 'issues':
      return context.issues.map((issue) => ({ value: issue.issue, label: `${issue.title[lang]} (${issue.issue})` }));
    case 'actors':
      return [...context.registry.actors.values()].sort((a, b) => a.id.localeCompare(b.id)).map((actor) => ({ value: actor.id, label: `${nameIn(actor.names, lang, actor.id)} (${actor.id})` }));
    case 'blocs':
      return [...context.registry.blocs.values()].sort((a, b) => a.id.localeCompare(b.id)).map((bloc) => ({ value: bloc.id, label: `${nameIn(bloc.names, lang, bloc.id)} (${bloc.id})` }));
    case 'stances':
      return [...STANCE_STEPS].reverse().map((step) => ({ value: String(step), label: `${formatStance(step)} ${t.stanceNames[String(step)]}` }));
    case 'languages':
      return LANGUAGE_OPTIONS.map((language) => ({ value: language, label: language }));
    case 'actor-kinds':
      return ['state', 'organisation', 'group'].map((kind) => ({ value: kind, label: kind }));
    case 'watch-kinds':
      return Object.entries(t.kindNames).filter(([kind]) => kind !== 'reversal').map(([value, label]) => ({ value, label: `${label} (${value})` }));
    case 'yes-no':
      return [{ value: 'yes', label: t.hedged }, { value: 'no', label: `${t.hedged}: ✗` }];
    case 'issue-status':
      return Object.entries(t.statusNames).filter(([status]) => status !== 'withdrawn').map(([value, label]) => ({ value, label }));
  }
};

export interface FormFieldProps {
  formId: string;
  field: FieldSpec;
  value: FieldValue;
  problems: readonly string[];
  context: OptionContext;
  onChange: (value: FieldValue) => void;
}

export const fieldId = (formId: string, path: string): string => `${formId}-${path.replaceAll('.', '-')}`;

export function FormField({ formId, field, value, problems, context, onChange }: FormFieldProps) {
  const { lang, t } = useI18n();
  const id = fieldId(formId, field.path);
  const errorId = `${id}-error`;
  const invalid = problems.length > 0;
  const common = {
    id,
    name: field.path,
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': invalid ? errorId : undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const onText = (event: Event): void => onChange((event.currentTarget as HTMLInputElement).value);
  let input: ComponentChildren;
  switch (field.input) {
    case 'checkbox':
      input = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange((event.currentTarget as HTMLInputElement).checked)} />;
      break;
    case 'select':
      input = (
        <select {...common} value={text} onChange={onText}>
          <option value="">{field.optional === true ? t.optional : '—'}</option>
          {optionsFor(field.options ?? 'issues', context, lang, t).map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
        </select>
      );
      break;
    case 'textarea':
    case 'lines':
      input = <textarea {...common} rows={field.input === 'lines' ? 4 : 3} dir={field.anyDirection === true ? 'auto' : undefined} value={text} onInput={onText} />;
      break;
    case 'datetime':
      input = <input {...common} type="datetime-local" step={1} value={text} onInput={onText} />;
      break;
    case 'url':
      input = <input {...common} type="text" inputMode="url" dir="ltr" value={text} onInput={onText} />;
      break;
    case 'speaker':
    case 'text':
      input = <input {...common} type="text" dir={field.anyDirection === true ? 'auto' : undefined} value={text} onInput={onText} />;
      break;
  }
  return (
    <div class={`field field-${field.input}${invalid ? ' field-invalid' : ''}`} data-field={field.path}>
      <label for={id}>{field.label[lang]}{field.optional === true && field.input !== 'select' && field.input !== 'checkbox' ? ` ${t.optional}` : ''}</label>
      {input}
      {invalid ? (
        <p class="field-error" id={errorId}>
          {problems.join('; ')}
        </p>
      ) : null}
      {field.input === 'speaker' ? <SpeakerSearch fieldId={id} speakers={context.registry} onPick={(speakerId) => onChange(speakerId)} /> : null}
    </div>
  );
}
