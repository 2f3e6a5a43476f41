import { describe, expect, it } from 'vitest';
import { positionChangedV1 } from '../../../events/outbound/position-changed.v1.ts';
import { positionsConvergedV1, positionsDivergedV1 } from '../../../events/outbound/divergence-alert.v1.ts';
import { MAX_EVIDENCE_PER_SIDE } from '../../../events/outbound/evidence.ts';
import {
  alertEvidenceIds, convergedDetail, divergedDetail, positionChangedDetail, toEvidence,
  type ClosedTransition, type OpenedTransition,
} from '../../../functions/core/alerts.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, at, makeRegistry, said } from './helpers.ts';

/** Diacritics, a tatweel, a zero-width non-joiner and an alef with hamza: what a re-encoding would damage. */
const RUTTE_AR = 'قالَ روته: «ليسَ لروسيا حقُّ النقـض على نشر القوات» \u200cأيضاً';
const KREMLIN_AR = 'الكرملين: لن نقبل بأيّ قوات غربية في أوكرانيا';

const registry = makeRegistry({
  issues: [ISSUE],
  blocs: { allies: ['nato', 'france', 'germany'] },
  watches: [{ actor: 'russia', bloc: 'allies' }],
});

const byId = (statements: readonly StatementRecord[]) => new Map(statements.map((s) => [s.statementId, s] as const));

describe('positionChangedDetail', () => {
  it('builds a Position Changed detail that satisfies its contract', () => {
    // Prepare
    const statements = [
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 0 }),
      said({ id: 'ru2', actor: 'russia', stance: -2, at: 5, quote: { text: KREMLIN_AR, lang: 'ar', translation: { text: 'No Western troops', lang: 'en' } } }),
    ];
    const { positionChanges } = replayIssue(ISSUE, statements, registry);

    // Act
    const first = positionChangedDetail(positionChanges[0]!, statements[0]!);
    const second = positionChangedDetail(positionChanges[1]!, statements[1]!);

    // Assess
    expect(positionChangedV1.parse(first)).toEqual(first);
    expect(positionChangedV1.parse(second)).toEqual(second);
    expect(first.previous).toBeNull();
    expect(second).toMatchObject({ previous: { statementId: 'ru1', stance: -1 }, current: { statementId: 'ru2', stance: -2 } });
    expect(Buffer.from(second.evidence.quote!.text, 'utf8')).toEqual(Buffer.from(KREMLIN_AR, 'utf8'));
  });

  it('refuses evidence that is not the statement behind the change', () => {
    // Prepare
    const statements = [said({ id: 'ru1', actor: 'russia', stance: -1, at: 0 }), said({ id: 'ru2', actor: 'russia', stance: -2, at: 5 })];
    const { positionChanges } = replayIssue(ISSUE, statements, registry);

    // Act
    const act = () => positionChangedDetail(positionChanges[0]!, statements[1]!);

    // Assess
    expect(act).toThrow(/not the statement behind/);
  });
});

describe('divergedDetail and convergedDetail', () => {
  const statements = [
    said({ id: 'nato1', actor: 'nato', stance: 2, at: 0, quote: { text: RUTTE_AR, lang: 'ar' } }),
    said({ id: 'fr1', actor: 'france', stance: 2, at: 1 }),
    said({ id: 'de1', actor: 'germany', stance: 1, at: 2 }),
    said({ id: 'ru1', actor: 'russia', stance: -2, at: 3, quote: { text: KREMLIN_AR, lang: 'ar' } }),
    said({ id: 'ru2', actor: 'russia', stance: -2, at: 4 }),
    said({ id: 'ru3', actor: 'russia', stance: 1, at: 5 }),
  ];
  const replay = replayIssue(ISSUE, statements, registry);
  const opened = replay.transitions.find((t): t is OpenedTransition => t.type === 'opened' && t.episode.kind === 'actor-vs-bloc')!;
  const closed = replay.transitions.find((t): t is ClosedTransition => t.type === 'closed' && t.episode.kind === 'actor-vs-bloc')!;

  it('builds a Positions Diverged detail that satisfies its contract, with the stances at opening', () => {
    // Act
    const detail = divergedDetail(opened, byId(statements));

    // Assess
    expect(positionsDivergedV1.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      schemaVersion: '1', alertId: opened.alertId, episodeId: opened.episode.episodeId, kind: 'actor-vs-bloc',
      issue: ISSUE, actor: 'russia', bloc: 'allies', actorStance: -2, otherStance: 2, gap: 4, threshold: 2, openedAt: at(3),
    });
  });

  it('carries the evidence latest first, with quotes byte-exact', () => {
    // Act
    const detail = positionsDivergedV1.parse(JSON.parse(JSON.stringify(divergedDetail(opened, byId(statements)))));

    // Assess
    expect(detail.evidence.actor.map((e) => e.statementId)).toEqual(['ru1']);
    expect(detail.evidence.other.map((e) => e.statementId)).toEqual(['de1', 'fr1', 'nato1']);
    expect(Buffer.from(detail.evidence.actor[0]!.quote!.text, 'utf8')).toEqual(Buffer.from(KREMLIN_AR, 'utf8'));
    expect(Buffer.from(detail.evidence.other[2]!.quote!.text, 'utf8')).toEqual(Buffer.from(RUTTE_AR, 'utf8'));
    expect(detail.evidence.other[0]).not.toHaveProperty('recordedBy');
  });

  it('builds a Positions Converged detail with the stances and time of closing', () => {
    // Act
    const detail = convergedDetail(closed, byId(statements));

    // Assess
    expect(positionsConvergedV1.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      episodeId: opened.episode.episodeId, alertId: closed.alertId, actorStance: 1, otherStance: 2, gap: 1,
      openedAt: at(3), closedAt: at(5),
    });
    expect(detail.evidence.actor.map((e) => e.statementId)).toEqual(['ru3', 'ru2', 'ru1']);
  });

  it('accepts a bloc stance half-way between two scale points', () => {
    // Prepare
    const even = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'de1', actor: 'germany', stance: 1, at: 1 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 2 }),
    ];
    const transition = replayIssue(ISSUE, even, registry).transitions[0] as OpenedTransition;

    // Act
    const detail = divergedDetail(transition, byId(even));

    // Assess
    expect(positionsDivergedV1.parse(detail)).toMatchObject({ otherStance: 1.5, gap: 2.5 });
  });

  it('caps the evidence of each side, keeping the latest', () => {
    // Prepare
    const many = [
      said({ id: 'fr0', actor: 'france', stance: 2, at: 0 }),
      ...Array.from({ length: 14 }, (_, i) => said({ id: `ru${String(i).padStart(2, '0')}`, actor: 'russia', stance: -2, at: 1 + i })),
    ];
    const replayed = replayIssue(ISSUE, many, registry);
    const open = replayed.state.open.values().next().value!;

    // Act
    const detail = divergedDetail({ type: 'opened', alertId: 'al-test', episode: open }, byId(many));

    // Assess
    expect(open.evidence.actor).toHaveLength(14);
    expect(detail.evidence.actor).toHaveLength(MAX_EVIDENCE_PER_SIDE);
    expect(detail.evidence.actor[0]?.statementId).toBe('ru13');
    expect(alertEvidenceIds(open).actor.at(-1)).toBe('ru04');
    expect(positionsDivergedV1.safeParse(detail).success).toBe(true);
  });

  it('refuses to publish without a statement behind the alert', () => {
    // Prepare
    const withoutRutte = byId(statements.filter((s) => s.statementId !== 'nato1'));

    // Act
    const act = () => divergedDetail(opened, withoutRutte);

    // Assess
    expect(act).toThrow(/nato1/);
  });
});

describe('toEvidence', () => {
  it('keeps the reason of a stance change and leaves out absent fields', () => {
    // Prepare
    const change: StatementRecord = {
      statementId: 'chg-1', kind: 'stance-change', actor: 'germany', issue: ISSUE, stance: 1, hedged: true,
      reason: 'Bundestag vote', saidAt: at(0), source: { outlet: 'Desk' }, recordedBy: 'editor',
    };

    // Act
    const evidence = toEvidence(change);

    // Assess
    expect(evidence).toEqual({
      statementId: 'chg-1', kind: 'stance-change', actor: 'germany', issue: ISSUE, stance: 1, hedged: true,
      reason: 'Bundestag vote', saidAt: at(0), source: { outlet: 'Desk' },
    });
  });
});
