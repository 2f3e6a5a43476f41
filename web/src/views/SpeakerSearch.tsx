/**
 * Speaker search beside a speaker field: matches names and aliases in both languages with the
 * processor's normalisation (so `بوتين` finds Putin however it is spelt), and puts the chosen
 * speaker's id in the field.
 */
import { useState } from 'preact/hooks';
import { nameIn, type RegistryView } from '../model/registry.ts';
import { searchSpeakers } from '../model/speaker-search.ts';
import { useI18n } from './i18n-context.ts';

export function SpeakerSearch({ fieldId, speakers, onPick }: { fieldId: string; speakers: RegistryView; onPick: (speakerId: string) => void }) {
  const { lang, t } = useI18n();
  const [query, setQuery] = useState('');
  const found = searchSpeakers(speakers.speakers.values(), query);
  const searchId = `${fieldId}-search`;
  return (
    <div class="speaker-search">
      <label for={searchId}>{t.speakerSearch}</label>
      <input id={searchId} type="search" dir="auto" value={query} onInput={(event) => setQuery((event.currentTarget as HTMLInputElement).value)} />
      {query.trim() === '' ? null : found.length === 0 ? (
        <p class="hint" role="status">{t.noSpeaker}</p>
      ) : (
        <ul class="speaker-results" aria-label={t.speakerResults}>
          {found.map(({ speaker, matched }) => (
            <li key={speaker.id}>
              <button type="button" data-speaker={speaker.id} onClick={() => { onPick(speaker.id); setQuery(''); }}>
                {t.choose}: <bdi>{nameIn(speaker.names, lang, speaker.id)}</bdi> ({speaker.id}
                {', '}
                <bdi>{nameIn(speakers.actors.get(speaker.actor)?.names, lang, speaker.actor)}</bdi>)
                {matched === speaker.names.en || matched === speaker.names.ar || matched === speaker.id ? null : <> · <bdi>{matched}</bdi></>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
