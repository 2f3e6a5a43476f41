/**
 * Speaker search for the desk: a query matches a speaker when its normalised form is part of the
 * normalised id, name (either language) or any alias, with the processor's own Arabic
 * normalisation (functions/core/arabic.ts), so what the search finds is what the processor will
 * resolve. Whole-name matches rank first, then prefixes, then anywhere.
 */
import { normaliseForLookup } from '../../../functions/core/arabic.ts';
import type { RegistrySpeaker } from './registry.ts';

export interface SpeakerMatch {
  speaker: RegistrySpeaker;
  /** The name or alias that matched, as registered. */
  matched: string;
}

const rank = (candidate: string, query: string): number => (candidate === query ? 0 : candidate.startsWith(query) ? 1 : candidate.includes(query) ? 2 : -1);

export const searchSpeakers = (speakers: Iterable<RegistrySpeaker>, query: string, limit = 8): SpeakerMatch[] => {
  const wanted = normaliseForLookup(query);
  if (wanted === '') return [];
  const found: Array<SpeakerMatch & { rank: number }> = [];
  for (const speaker of speakers) {
    let best: { rank: number; matched: string } | undefined;
    for (const text of [speaker.id, speaker.names.en, speaker.names.ar, ...speaker.aliases]) {
      const at = rank(normaliseForLookup(text), wanted);
      if (at !== -1 && (best === undefined || at < best.rank)) best = { rank: at, matched: text };
    }
    if (best !== undefined) found.push({ speaker, ...best });
  }
  return found
    .sort((a, b) => a.rank - b.rank || a.speaker.id.localeCompare(b.speaker.id))
    .slice(0, limit)
    .map(({ speaker, matched }) => ({ speaker, matched }));
};
