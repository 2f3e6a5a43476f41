/**
 * Evidence that grows in place, for a replay that owns its open episodes. While an episode is open
 * its lists are only ever appended to, so each evidence transition can be a view of their first
 * entries, made into an episode only when someone reads it. Copying the lists at every statement
 * (what `step` does, being immutable) makes a replay quadratic in how long episodes stay open: a
 * bloc-split episode open through 2,000 statements gathers hundreds of ids.
 */
import { copyingEvidence, type AddEvidence } from './divergence.ts';
import type { Episode, Transition } from './types.ts';

export class EvidenceBook {
  private readonly seen = new Map<Episode, { actor: Set<string>; other: Set<string> }>();
  private readonly views = new Set<Transition>();

  /** The episode an opening opened, with lists of its own that this book may append to. */
  live(opened: Episode): Episode {
    const episode: Episode = { ...opened, evidence: { actor: [...opened.evidence.actor], other: [...opened.evidence.other] } };
    this.seen.set(episode, { actor: new Set(episode.evidence.actor), other: new Set(episode.evidence.other) });
    return episode;
  }

  /** Whether a transition is one of this book's views: its episode is the live one, already in place. */
  isView(transition: Transition): boolean {
    return this.views.has(transition);
  }

  /** reconcile's AddEvidence: appends to a live episode and hands back a view; any other episode is copied. */
  readonly add: AddEvidence = (episode, side, statementId) => {
    const seen = this.seen.get(episode);
    if (seen === undefined) return copyingEvidence(episode, side, statementId);
    if (seen[side].has(statementId)) return undefined;
    seen[side].add(statementId);
    episode.evidence[side].push(statementId);
    const actor = episode.evidence.actor.length;
    const other = episode.evidence.other.length;
    let view: Episode | undefined;
    const transition: Transition = {
      type: 'evidence',
      // Only the lists change while an episode is open, so the view is the episode as it stood here.
      get episode(): Episode {
        view ??= { ...episode, evidence: { actor: episode.evidence.actor.slice(0, actor), other: episode.evidence.other.slice(0, other) } };
        return view;
      },
      side,
      statementId,
    };
    this.views.add(transition);
    return transition;
  };
}
