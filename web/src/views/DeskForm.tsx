/**
 * A desk form: checks the detail against its contract before anything leaves the page, shows each
 * problem next to its field (the server's 400 problems too), previews the effect, sends.
 */
import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/client.ts';
import type { DeskEvent, FieldProblem, Preview } from '../api/types.ts';
import { assignProblems, buildDetail, validateDetail, type FieldValue } from '../desk/detail.ts';
import { initialValues, newEventId, type FormSpec } from '../desk/forms.ts';
import { fill } from '../i18n/strings.ts';
import { fieldId, FormField, type OptionContext } from './FormField.tsx';
import { useI18n } from './i18n-context.ts';

type Outcome =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'sent'; eventId: string }
  | { kind: 'refused'; message: string }
  | { kind: 'preview'; preview: Preview };

const formIdOf = (form: FormSpec): string => `form-${form.detailType.toLowerCase().replaceAll(' ', '-')}`;

export function DeskForm({ form, client, context }: { form: FormSpec; client: ApiClient; context: OptionContext }) {
  const { lang, t } = useI18n();
  const [values, setValues] = useState<Record<string, FieldValue>>(() => initialValues(form, new Date()));
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const formId = formIdOf(form);
  const paths = form.fields.map((field) => field.path);
  const { byField, unplaced } = assignProblems(problems, paths);

  /** The event the form holds, or null (with its problems shown and the first bad field focused) when it is invalid. */
  const checkedEvent = (): DeskEvent | null => {
    const fixed = form.stampUpdatedAt === true ? { ...form.fixed, updatedAt: new Date().toISOString() } : form.fixed;
    const detail = buildDetail(form.fields, values, fixed);
    const found = validateDetail(form.detailType, detail);
    setProblems(found);
    if (found.length === 0) return { detailType: form.detailType, detail };
    setOutcome({ kind: 'invalid' });
    const first = assignProblems(found, paths).byField.keys().next();
    if (first.done !== true) document.getElementById(fieldId(formId, first.value))?.focus();
    return null;
  };

  const failed = (error: unknown): void => {
    if (error instanceof ApiError && error.problems.length > 0) {
      setProblems(error.problems);
      setOutcome({ kind: 'invalid' });
    } else if (error instanceof ApiError && error.status === 403) {
      setOutcome({ kind: 'refused', message: t.forbidden });
    } else {
      setOutcome({ kind: 'refused', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const run = async (action: (event: DeskEvent) => Promise<void>): Promise<void> => {
    const event = checkedEvent();
    if (event === null) return;
    setBusy(true);
    try {
      await action(event);
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  };

  const send = (): Promise<void> =>
    run(async (event) => {
      const accepted = await client.send(event);
      setOutcome({ kind: 'sent', eventId: accepted.eventId });
      // The next statement of the same form needs ids of its own.
      setValues((old) => ({ ...old, ...Object.fromEntries(form.fields.filter((field) => field.generated === 'id').map((field) => [field.path, newEventId()])) }));
    });
  const preview = (): Promise<void> => run(async (event) => setOutcome({ kind: 'preview', preview: await client.preview(event) }));

  return (
    <form
      id={formId}
      class="desk-form"
      noValidate
      aria-labelledby={`${formId}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h3 id={`${formId}-title`}>{t.forms[form.detailType] ?? form.detailType}</h3>
      {outcome.kind === 'invalid' ? <p class="error" role="alert">{t.fixFields}</p> : null}
      {unplaced.length === 0 ? null : (
        <div class="error" role="alert">
          <p>{t.otherProblems}</p>
          <ul>{unplaced.map((problem) => <li key={`${problem.field}:${problem.reason}`}><code>{problem.field || form.detailType}</code>: {problem.reason}</li>)}</ul>
        </div>
      )}
      <div class="fields">
        {form.fields.map((field) => (
          <FormField
            key={field.path}
            formId={formId}
            field={field}
            value={values[field.path] ?? ''}
            problems={byField.get(field.path) ?? []}
            context={context}
            onChange={(value) => setValues((old) => ({ ...old, [field.path]: value }))}
          />
        ))}
      </div>
      <div class="actions">
        {form.previewable ? <button type="button" onClick={() => void preview()} disabled={busy}>{t.preview}</button> : null}
        <button type="submit" class="primary" disabled={busy}>{t.send}</button>
      </div>
      <div role="status" class="outcome">
        {outcome.kind === 'sent' ? <p class="sent">{fill(t.sent, { id: outcome.eventId })}</p> : null}
        {outcome.kind === 'refused' ? <p class="error">{t.refused}{outcome.message}</p> : null}
        {outcome.kind === 'preview' ? (
          <section class="preview" aria-label={t.previewTitle}>
            <h4>{t.previewTitle}</h4>
            {outcome.preview.summary[lang].length === 0 ? <p>{t.previewNothing}</p> : (
              <ul>{outcome.preview.summary[lang].map((line) => <li key={line}><bdi>{line}</bdi></li>)}</ul>
            )}
          </section>
        ) : null}
      </div>
    </form>
  );
}
