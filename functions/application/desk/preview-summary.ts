/**
 * The preview's words: each effect as a line in English and in Arabic, with the registry's names
 * ("Germany moves from 0 to -2", "Germany against its bloc (Coalition of the willing) opens").
 * Numbers in Arabic lines carry a left-to-right mark, so "-2" is not shown as "2-".
 */
import type { ActorId, BlocId, Episode, IssueId, Names, Registry } from '../../core/types.ts';

export type Effect =
  | { kind: 'position'; actor: ActorId; issue: IssueId; from: number | null; to: number | null }
  | {
      kind: 'divergence-opens' | 'divergence-closes';
      /** The watch that measures it; null for an actor's own reversal, which no watch names. */
      watch: string | null;
      issue: IssueId;
      divergenceId: string;
      label: Names;
    };

export interface Preview {
  effects: Effect[];
  summary: { en: string[]; ar: string[] };
}

/** Why nothing moves, when it is not simply that the event changes nothing. */
export type NothingBecause = 'duplicate' | 'statement-not-recorded';

const named = (names: Names | undefined, id: string): Names => names ?? { en: id, ar: id };
const actorName = (registry: Registry, actor: ActorId): Names => named(registry.actors.get(actor)?.names, actor);
const blocName = (registry: Registry, bloc: BlocId | null): Names => named(bloc === null ? undefined : registry.blocs.get(bloc)?.names, bloc ?? '');

export const divergenceLabel = (episode: Pick<Episode, 'kind' | 'actor' | 'bloc'>, registry: Registry): Names => {
  const actor = actorName(registry, episode.actor);
  const bloc = blocName(registry, episode.bloc);
  switch (episode.kind) {
    case 'actor-vs-bloc':
      return { en: `${actor.en} against ${bloc.en}`, ar: `${actor.ar} ضد ${bloc.ar}` };
    case 'bloc-split':
      return { en: `${actor.en} against its bloc (${bloc.en})`, ar: `${actor.ar} ضد كتلتها (${bloc.ar})` };
    case 'reversal':
      return { en: `Reversal by ${actor.en}`, ar: `انقلاب في موقف ${actor.ar}` };
  }
};

const signed = (value: number): string => (value > 0 ? `+${value}` : `${value}`);
const LRM = '\u200E';

const positionLine = (effect: Extract<Effect, { kind: 'position' }>, registry: Registry): Names => {
  const actor = actorName(registry, effect.actor);
  const { from, to } = effect;
  if (to === null) return { en: `${actor.en} no longer has a stance (was ${signed(from ?? 0)})`, ar: `${actor.ar} لم يعد لها موقف (كان ${LRM}${signed(from ?? 0)})` };
  if (from === null) return { en: `${actor.en} takes the stance ${signed(to)}`, ar: `${actor.ar} تتخذ الموقف ${LRM}${signed(to)}` };
  return { en: `${actor.en} moves from ${signed(from)} to ${signed(to)}`, ar: `${actor.ar} تنتقل من ${LRM}${signed(from)} إلى ${LRM}${signed(to)}` };
};

const lineOf = (effect: Effect, registry: Registry): Names => {
  if (effect.kind === 'position') return positionLine(effect, registry);
  return effect.kind === 'divergence-opens'
    ? { en: `${effect.label.en} opens`, ar: `يُفتح تباعد: ${effect.label.ar}` }
    : { en: `${effect.label.en} closes`, ar: `يُغلق تباعد: ${effect.label.ar}` };
};

const NOTHING: Record<NothingBecause | 'none', Names> = {
  none: { en: 'Nothing moves: no stance changes and no divergence opens or closes', ar: 'لا شيء يتغير: لا يتبدل أي موقف ولا يُفتح أي تباعد ولا يُغلق' },
  duplicate: { en: 'Nothing moves: this statement is already recorded', ar: 'لا شيء يتغير: هذا التصريح مسجل من قبل' },
  'statement-not-recorded': {
    en: 'Nothing moves yet: the statement it revises is not recorded (the revision waits for it)',
    ar: 'لا شيء يتغير الآن: التصريح المعني غير مسجل (ينتظره التعديل)',
  },
};

export const summarise = (effects: Effect[], registry: Registry, nothingBecause?: NothingBecause): Preview => {
  if (effects.length === 0) {
    const line = NOTHING[nothingBecause ?? 'none'];
    return { effects, summary: { en: [line.en], ar: [line.ar] } };
  }
  const lines = effects.map((effect) => lineOf(effect, registry));
  return { effects, summary: { en: lines.map((line) => line.en), ar: lines.map((line) => line.ar) } };
};
