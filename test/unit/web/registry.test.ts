import { describe, expect, it } from 'vitest';
import type { ChangeItem } from '../../../functions/api/schemas.ts';
import { applyChanges, emptyRegistry } from '../../../web/src/model/registry.ts';
import { searchSpeakers } from '../../../web/src/model/speaker-search.ts';

const registryChange = (registryKind: string, record: Record<string, unknown>): ChangeItem => ({
  changeId: `rg-${registryKind}-${String(record['id'])}-${String(record['updatedAt'])}`, kind: 'registry-changed', recordedAt: '2026-01-01T00:00:00.000Z', issue: null,
  changed: { registryKind, id: record['id'], updatedAt: record['updatedAt'], record },
});

const putin = {
  id: 'putin', actor: 'russia', names: { en: 'Vladimir Putin', ar: 'فلاديمير بوتين' },
  aliases: ['Putin', 'بوتين', 'قائد الكرملين'], updatedAt: '2025-09-01T00:00:00.000Z',
};
const rutte = { id: 'rutte', actor: 'nato', names: { en: 'Mark Rutte', ar: 'مارك روته' }, aliases: ['روته'], updatedAt: '2025-09-01T00:00:00.000Z' };

describe('the registry the app rebuilds from the change feed', () => {
  it('keeps the latest version of each record whatever the order, and bloc members as actor ids', () => {
    const view = emptyRegistry();
    const renamed = { ...putin, names: { en: 'V. Putin', ar: 'بوتين' }, updatedAt: '2025-10-01T00:00:00.000Z' };
    applyChanges(view, [registryChange('speaker', renamed), registryChange('speaker', putin)]);
    applyChanges(view, [registryChange('bloc', { id: 'allies', names: { en: 'Allies', ar: 'الحلفاء' }, members: ['france', { actor: 'germany', since: '2025-01-01T00:00:00Z' }], updatedAt: '2025-09-01T00:00:00Z' })]);

    expect(view.speakers.get('putin')?.names.en).toBe('V. Putin');
    expect(view.blocs.get('allies')?.members).toEqual(['france', 'germany']);
  });

  it('notes the revision that withdrew an episode, by episode and by statement', () => {
    const view = emptyRegistry();
    const revision = { revisionId: 'corr-1', kind: 'correction', statementId: 'st-1', reason: 'wrong stance' };
    applyChanges(view, [{
      changeId: 'al-1-withdrawn', kind: 'divergence-withdrawn', recordedAt: '2026-01-01T00:00:00.000Z', issue: 'troops',
      changed: { episodeId: 'ep-1', revision },
    }]);

    expect(view.withdrawals.get('ep-1')).toEqual(revision);
    expect(view.revisions.get('st-1')).toEqual([revision]);
  });
});

describe('speaker search', () => {
  const speakers = [putin, rutte];

  it('finds a speaker by an Arabic alias spelt with diacritics, tatweel or another alef form, as the processor resolves it', () => {
    expect(searchSpeakers(speakers, 'قائـد الكِرملين').map((match) => match.speaker.id)).toEqual(['putin']);
    expect(searchSpeakers(speakers, 'بوتين')[0]).toEqual({ speaker: speakers[0], matched: 'بوتين' });
  });

  it('finds English names and ids in any case, whole names first', () => {
    expect(searchSpeakers(speakers, 'RUTTE').map((match) => match.speaker.id)).toEqual(['rutte']);
    expect(searchSpeakers(speakers, 'put').map((match) => match.matched)).toEqual(['putin']);
    expect(searchSpeakers(speakers, '   ')).toEqual([]);
    expect(searchSpeakers(speakers, 'zelensky')).toEqual([]);
  });
});
