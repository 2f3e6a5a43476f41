/** The desk: one form at a time, statements first, then the registry. Readers see why it is closed. */
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { FORMS } from '../desk/forms.ts';
import { DeskForm } from './DeskForm.tsx';
import type { OptionContext } from './FormField.tsx';
import { useI18n } from './i18n-context.ts';

export function Desk({ client, role, context }: { client: ApiClient; role: Role; context: OptionContext }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState(FORMS[0]?.detailType ?? '');
  if (role !== 'editor') return <p class="notice" role="status">{t.readerNoDesk}</p>;
  const form = FORMS.find((candidate) => candidate.detailType === chosen) ?? FORMS[0];
  const groups = [
    { id: 'statements', title: t.statements },
    { id: 'registry', title: t.registry },
  ] as const;
  return (
    <div class="desk">
      <nav class="form-picker" aria-label={t.desk}>
        {groups.map((group) => (
          <div key={group.id} class="form-group">
            <h2>{group.title}</h2>
            <ul>
              {FORMS.filter((candidate) => candidate.group === group.id).map((candidate) => (
                <li key={candidate.detailType}>
                  <button
                    type="button"
                    aria-current={candidate.detailType === form?.detailType ? 'true' : undefined}
                    data-form={candidate.detailType}
                    onClick={() => setChosen(candidate.detailType)}
                  >
                    {t.forms[candidate.detailType] ?? candidate.detailType}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      {form === undefined ? null : <DeskForm key={form.detailType} form={form} client={client} context={context} />}
    </div>
  );
}
